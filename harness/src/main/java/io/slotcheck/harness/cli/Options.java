package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.container.ImageProfile;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.harness.run.Shard;
import io.slotcheck.harness.server.IvorySqlMode;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The options every command takes, parsed strictly: an unknown option is a usage error, never ignored. */
final class Options {

    String target;
    Path pgHome;
    IvorySqlMode ivorySqlMode;
    SlotSyncMechanism slotSync;
    boolean docker;
    String image;
    String imageProfile;
    Path external;
    Path workDirectory = WorkArea.defaultRoot();
    boolean json;
    boolean shrink;
    int runs = 10;
    int sequences = 10;
    int steps = 20;
    Long seed;
    String profile = "default";
    String faults = "all";
    /** --time-budget; each command has its own default (the campaign's, or one mutant's). */
    Duration timeBudget;
    /** --shrink-budget; each command has its own default. */
    Duration shrinkBudget;
    Path out;
    boolean plotAll;
    Path historyFrom;
    List<String> only = List.of();
    Shard shard = Shard.WHOLE;

    /** The options that select a target, which every command that runs servers takes. */
    static final Set<String> TARGET = Set.of("--target", "--pg-home", "--ivorysql-mode", "--slot-sync", "--backend", "--image", "--image-profile",
            "--external", "--work-dir");

    /** {@link #TARGET} and {@code others}. */
    static Set<String> targetAnd(String... others) {
        Set<String> allowed = new java.util.HashSet<>(TARGET);
        allowed.addAll(List.of(others));
        return allowed;
    }

    static Options parse(List<String> arguments, Set<String> allowed) {
        Options options = new Options();
        Deque<String> queue = new ArrayDeque<>(arguments);
        while (!queue.isEmpty()) {
            String option = queue.poll();
            if (!allowed.contains(option)) {
                throw usage("unknown option '" + option + "'");
            }
            switch (option) {
                case "--target" -> options.target = value(option, queue);
                case "--pg-home" -> options.pgHome = Path.of(value(option, queue));
                case "--ivorysql-mode" -> options.ivorySqlMode = ivorySqlMode(value(option, queue));
                case "--slot-sync" -> options.slotSync = slotSync(value(option, queue));
                case "--backend" -> options.docker = docker(value(option, queue));
                case "--image" -> options.image = value(option, queue);
                case "--image-profile" -> options.imageProfile = value(option, queue);
                case "--external" -> options.external = Path.of(value(option, queue));
                case "--work-dir" -> options.workDirectory = Path.of(value(option, queue));
                case "--json" -> options.json = true;
                case "--shrink" -> options.shrink = true;
                case "--runs" -> options.runs = positive(option, value(option, queue));
                case "--sequences" -> options.sequences = positive(option, value(option, queue));
                case "--steps" -> options.steps = positive(option, value(option, queue));
                case "--seed" -> options.seed = seed(value(option, queue));
                case "--profile" -> options.profile = value(option, queue);
                case "--faults" -> options.faults = value(option, queue);
                case "--time-budget" -> options.timeBudget = duration(option, value(option, queue));
                case "--shrink-budget" -> options.shrinkBudget = duration(option, value(option, queue));
                case "--out" -> options.out = Path.of(value(option, queue));
                case "--plot-all" -> options.plotAll = true;
                case "--history-from" -> options.historyFrom = Path.of(value(option, queue));
                case "--shard" -> options.shard = shard(value(option, queue));
                case "--only" -> options.only = List.of(value(option, queue).split(",")).stream().map(String::strip).toList();
                default -> throw new IllegalStateException("option " + option + " is allowed but not handled");
            }
        }
        if (options.shard != Shard.WHOLE && options.seed == null) {
            throw usage("--shard needs --seed: every shard draws from the same campaign");
        }
        if (options.shard != Shard.WHOLE && options.external != null) {
            throw usage("--shard with --external: an external cluster is one, its shards cannot run side by side");
        }
        if (options.shard.index() > options.sequences) {
            throw usage("--shard " + options.shard + " of " + options.sequences + " sequences runs none: give at most --sequences shards");
        }
        if (options.external != null && (options.target != null || options.pgHome != null || options.docker || options.ivorySqlMode != null)) {
            throw usage("--external names the servers already: leave out --target, --pg-home, --ivorysql-mode and --backend");
        }
        if (options.target != null && options.pgHome != null) {
            throw usage("--target and --pg-home exclude each other: give one");
        }
        if (options.ivorySqlMode != null && options.pgHome == null && options.image == null) {
            throw usage("--ivorysql-mode needs --pg-home naming an IvorySQL installation, or --image of IvorySQL");
        }
        if (options.slotSync != null && options.pgHome == null) {
            throw usage("--slot-sync needs --pg-home naming the installation (the pg_failover_slots extension is installed into one)");
        }
        if ((options.image != null || options.imageProfile != null) && !options.docker) {
            throw usage((options.image != null ? "--image" : "--image-profile") + " needs --backend docker");
        }
        if (options.image != null && (options.target != null || options.pgHome != null)) {
            throw usage("--image names the servers already: leave out " + (options.target != null ? "--target" : "--pg-home"));
        }
        if (options.imageProfile != null && options.image == null) {
            throw usage("--image-profile needs --image naming the image");
        }
        return options;
    }

    /**
     * The embedded binaries of --target ({@code pg17} or {@code 17}: the pinned 17.x; {@code 17.4.0}: that version;
     * {@code latest}, {@code pg17-latest} or {@code 17-latest}: the newest minor; default: the pinned 17.x), or the
     * installation in --pg-home.
     */
    Target target() {
        if (external != null) {
            return Target.external(external, System::getenv, workDirectory);
        }
        if (image != null) {
            String profileName = imageProfile == null ? ImageProfile.nameForImage(image) : imageProfile;
            ImageProfile profile = ImageProfile.named(profileName, image, Optional.ofNullable(ivorySqlMode))
                    .orElseThrow(() -> usage("--image-profile takes one of " + ImageProfile.NAMES + ", not '" + imageProfile + "'"));
            if (ivorySqlMode != null && profile.ivorySqlMode().isEmpty()) {
                throw usage("--ivorysql-mode applies to IvorySQL's images: add --image-profile ivorysql");
            }
            return Target.image(profile, workDirectory);
        }
        Target local = localTarget();
        return docker ? local.inContainers() : local;
    }

    /** The servers of this machine that --target or --pg-home name. */
    private Target localTarget() {
        if (pgHome != null) {
            return Target.installed(pgHome, ivorySqlMode, slotSync, workDirectory);
        }
        String version = target == null ? EmbeddedBinaries.defaultVersion() : target.replaceFirst("^pg(?=\\d)", "");
        return Target.embedded(version, workDirectory);
    }

    static String value(String option, Deque<String> queue) {
        String value = queue.poll();
        if (value == null || value.startsWith("--")) {
            throw usage(option + " needs a value");
        }
        return value;
    }

    /** {@code --backend local} (the default: servers as processes of this machine) or {@code docker}. */
    private static boolean docker(String value) {
        return switch (value) {
            case "local" -> false;
            case "docker" -> true;
            default -> throw usage("--backend takes local or docker, not '" + value + "'");
        };
    }

    private static SlotSyncMechanism slotSync(String value) {
        try {
            return SlotSyncMechanism.named(value);
        } catch (IllegalArgumentException e) {
            throw usage("--slot-sync takes built-in or pg_failover_slots, not '" + value + "'");
        }
    }

    private static IvorySqlMode ivorySqlMode(String value) {
        return IvorySqlMode.parse(value).orElseThrow(() -> usage("--ivorysql-mode takes pg or oracle, not '" + value + "'"));
    }

    static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage(option + " takes a positive whole number, not '" + value + "'");
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw usage("--seed takes a whole number, not '" + value + "'");
        }
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}. */
    static Duration duration(String option, String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smh])").matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw usage(option + " takes a duration such as 90s, 5m or 1h, not '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** --time-budget, or {@code fallback} when it was not given. */
    Duration timeBudget(Duration fallback) {
        return timeBudget == null ? fallback : timeBudget;
    }

    /** --shrink-budget, or {@code fallback} when it was not given. */
    Duration shrinkBudget(Duration fallback) {
        return shrinkBudget == null ? fallback : shrinkBudget;
    }

    private static Shard shard(String value) {
        return Shard.parse(value).orElseThrow(() -> usage("--shard takes I/N, the shard I of N (1 <= I <= N), not '" + value + "'"));
    }

    static SlotcheckException usage(String problem) {
        return new SlotcheckException(ExitCode.USAGE, problem + ": see ./slotcheck --help");
    }
}
