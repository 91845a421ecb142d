package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.run.Bisect;
import io.slotcheck.harness.run.ReplayFile;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.model.version.ServerVersion;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./slotcheck bisect REPLAY_FILE [--major N] [--from V] [--to V] [--runs N] [--pg-home DIR,DIR,...]}: the replay
 * file on every minor of a major that Maven Central has (between --from and --to), or on each installation --pg-home
 * lists in its order (a vendor's builds), {@link Bisect}.
 */
final class BisectCommand {

    /** What each run of the replay may be given besides the servers: where, how IvorySQL's clusters are made, what syncs the slots. */
    private static final Set<String> PASSED_ON = Set.of("--backend", "--work-dir", "--ivorysql-mode", "--slot-sync");
    private static final int DEFAULT_RUNS = 3;

    private BisectCommand() {
    }

    /** The command line after the replay file. */
    private record Arguments(Optional<Integer> major, Optional<String> from, Optional<String> to, List<String> homes, int runs,
                             List<String> passedOn) {
    }

    static int run(List<String> arguments, PrintStream out) {
        if (arguments.isEmpty() || arguments.get(0).startsWith("--")) {
            throw Options.usage("bisect takes a replay file");
        }
        ReplayFile replay = ReplayFile.read(Path.of(arguments.get(0)));
        Arguments given = parse(arguments.subList(1, arguments.size()));
        // every candidate's options are checked before the first server starts
        List<Bisect.Candidate> candidates = given.homes().isEmpty()
                ? versions(given.major().or(() -> given.from().or(given::to).map(BisectCommand::majorOf)).orElseGet(() -> majorOf(replay)),
                given.from(), given.to()).stream()
                .map(version -> candidate(version, Optional.of(releaseNotes(version)), given.passedOn(), "--target", version)).toList()
                : given.homes().stream().map(home -> candidate(home, Optional.empty(), given.passedOn(), "--pg-home", home)).toList();
        Bisect.run(replay, candidates, given.runs(), out);
        return ExitCode.OK.code();
    }

    private static Arguments parse(List<String> arguments) {
        Optional<Integer> major = Optional.empty();
        Optional<String> from = Optional.empty();
        Optional<String> to = Optional.empty();
        List<String> homes = List.of();
        int runs = DEFAULT_RUNS;
        List<String> passedOn = new ArrayList<>();
        Deque<String> queue = new ArrayDeque<>(arguments);
        while (!queue.isEmpty()) {
            String option = queue.poll();
            switch (option) {
                case "--major" -> major = Optional.of(Options.positive(option, Options.value(option, queue)));
                case "--from" -> from = Optional.of(EmbeddedBinaries.artifactVersion(Options.value(option, queue)));
                case "--to" -> to = Optional.of(EmbeddedBinaries.artifactVersion(Options.value(option, queue)));
                case "--runs" -> runs = Options.positive(option, Options.value(option, queue));
                case "--pg-home" -> homes = Arrays.stream(Options.value(option, queue).split(",")).map(String::strip)
                        .filter(home -> !home.isEmpty()).toList();
                default -> {
                    if (!PASSED_ON.contains(option)) {
                        throw Options.usage("unknown option '" + option + "' for bisect: it takes --major, --from, --to, --runs, --pg-home, "
                                + String.join(", ", PASSED_ON.stream().sorted().toList()));
                    }
                    passedOn.add(option);
                    passedOn.add(Options.value(option, queue));
                }
            }
        }
        if (!homes.isEmpty() && (major.isPresent() || from.isPresent() || to.isPresent())) {
            throw Options.usage("--pg-home lists the installations to bisect over: leave out --major, --from and --to");
        }
        return new Arguments(major, from, to, homes, runs, List.copyOf(passedOn));
    }

    /** The versions of {@code major} Maven Central has (else the local repository), from {@code from} to {@code to}. */
    private static List<String> versions(int major, Optional<String> from, Optional<String> to) {
        for (String bound : List.of(from, to).stream().flatMap(Optional::stream).toList()) {
            if (majorOf(bound) != major) {
                throw Options.usage(bound + " is not a version of PostgreSQL " + major + ": give --from and --to of one major");
            }
        }
        EmbeddedBinaries.Available available = EmbeddedBinaries.versionsOf(major);
        List<String> versions = available.versions().stream()
                .filter(version -> from.map(f -> EmbeddedBinaries.BY_NUMBERS.compare(version, f) >= 0).orElse(true))
                .filter(version -> to.map(t -> EmbeddedBinaries.BY_NUMBERS.compare(version, t) <= 0).orElse(true)).toList();
        if (versions.isEmpty()) {
            throw new SlotcheckException(ExitCode.BINARIES, "no PostgreSQL " + major + ".x" + from.map(f -> " from " + f).orElse("")
                    + to.map(t -> " to " + t).orElse("") + " " + available.source() + ": choose a major and range it has");
        }
        return versions;
    }

    private static Bisect.Candidate candidate(String name, Optional<String> releaseNotes, List<String> passedOn, String option, String value) {
        List<String> selection = new ArrayList<>(passedOn);
        selection.addAll(List.of(option, value));
        Options options = Options.parse(selection, Options.TARGET);
        return new Bisect.Candidate(name, releaseNotes, options::target);
    }

    /** The major of the replay's own target when it names a version, else the default's. */
    private static int majorOf(ReplayFile replay) {
        int target = replay.targetSelection().indexOf("--target");
        String version = target >= 0 && target + 1 < replay.targetSelection().size() ? replay.targetSelection().get(target + 1) : "";
        return version.matches("(pg)?\\d+(\\.\\d+)*") ? majorOf(version.replaceFirst("^pg", "")) : majorOf(EmbeddedBinaries.defaultVersion());
    }

    private static int majorOf(String version) {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    /** 17.6.0, an artifact version, is PostgreSQL 17.6. */
    private static String releaseNotes(String artifactVersion) {
        String[] numbers = artifactVersion.split("\\.");
        return ServerVersion.releaseNotes(Integer.parseInt(numbers[0]), Integer.parseInt(numbers[1]));
    }
}
