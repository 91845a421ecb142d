package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.NodeSqlException;
import io.slotcheck.harness.cluster.WaitTimeoutException;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.run.Campaign;
import io.slotcheck.harness.run.CampaignProfile;
import io.slotcheck.harness.run.ConformanceSuite;
import io.slotcheck.harness.run.Mutant;
import io.slotcheck.harness.run.Replay;
import io.slotcheck.harness.run.SelfTest;
import io.slotcheck.harness.run.Shard;
import io.slotcheck.harness.run.ReplayFile;
import io.slotcheck.harness.run.RunSummary;
import io.slotcheck.harness.server.ServerAccount;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ./slotcheck COMMAND [OPTIONS]}. Every failure the user can act on is one line on stderr and a
 * distinct exit code ({@link ExitCode}); servers are always stopped before the process exits.
 */
public final class Main {

    static final String HELP = """
            usage: ./slotcheck COMMAND [OPTIONS]

            commands:
              run       a randomized campaign: --sequences N (default 10) of --steps N (default 20)
                        operations, drawn from --seed S (default: random, printed) with --profile NAME
                        (default, barrier-heavy, promotion-heavy, sync-heavy, continuity; on servers whose
                        copies pg_failover_slots keeps, the default is its own, pg-failover-slots) and
                        --faults F,... (crash, pause, partition, wal, config, catalog, roles; default
                        all; none), each on a fresh pair, checked against the model after every step,
                        its faults healed and its convergence checked at the end; stops starting
                        sequences after --time-budget (default 30m); a violation is re-run on a
                        fresh pair (flaky if it does not show again) and shrunk for --shrink-budget
                        (default 2m); --shard I/N (with --seed) runs only the sequences I, I+N, I+2N, ...
                        of that campaign, as a CI job of N does; writes --out DIR
                        (default slotcheck-results/<time>): summary.json, histories/, a replay file per
                        violation, allure-results/ (--plot-all: an LSN timeline for every sequence)
              report [DIR]
                        make the HTML report of a run (DIR: its --out; default the newest run) offline,
                        into DIR/allure-report, and print the path of its index.html; the trend of the
                        report made there before is carried on (--history-from REPORT_DIR: another's)
              replay FILE
                        run a replay file's operations again on a fresh pair
              bisect FILE
                        run a replay file --runs times (default 3) on every minor of --major (default: the
                        replay's) that Maven Central has, --from V --to V, or on each of --pg-home DIR,DIR,...
                        in that order, and print a verdict per version and where the behaviour changes
              bench     start and close a primary/standby pair --runs times (default 10) and print
                        the median and max of each phase and the servers' peak memory (--json for JSON);
                        with --shrink: how long a violation in a 25-step sequence takes to shrink
                        (--seed S for its other steps, --shrink-budget)
              check FILE
                        check a recorded history (JSON Lines) against the model, without any server:
                        a verdict per invariant, and each violation with its evidence
              selftest  the checker's mutation score: for each mutant (a server broken on purpose in one
                        guarantee, imitated over what the target's real servers answer; --only NAME,...),
                        a directed campaign (seed --seed, default 1801) until the first violation, within
                        --time-budget (default 3m) each, then shrunk (--shrink-budget, default 5m); prints caught or
                        missed, by which invariant, how soon and the shrunk length; writes
                        --out DIR/selftest.json; exit 10 when a mutant was missed
              suite     the conformance suite's named scenarios (--only ID,...: those; default all), each
                        on a fresh pair (--external: the cluster adopted, and tidied after), checked against
                        the model after every step and by what it is there to show; one the target's
                        version or servers cannot run is not run, saying why; writes --out DIR (default
                        slotcheck-results/suite-<time>): summary.json, histories/, allure-results/; exit 1
                        when a scenario failed (13 when only by defects fixed upstream), 2 when none chosen
                        could run on the target, 12 when its servers have no failover slots (PostgreSQL 16
                        without the pg_failover_slots extension)
              doctor    whether a live cluster's logical replication would survive a promotion now:
                        --primary URL --standby URL [--standby URL ...] [--subscriber URL ...]
                        (postgresql://user@host:port/db, jdbc:postgresql://..., or host:port; PGUSER and
                        PGPASSWORD apply), or --external CONFIG; read-only, a pg_monitor role suffices;
                        prints each failover slot's copy on each standby and what is found, worst first,
                        with its evidence and fix (--json for monitoring); exit 0 ready, 1 not ready
              clean     stop what killed runs left and remove the work directory (binaries, templates,
                        clusters kept for failed tests)

            target (one of):
              --target T       PostgreSQL from Maven Central: pg16, pg17, pg18 (or 16, 17, 18: the pinned
                               16.16.0, 17.12.0, 18.7.0), any full version that exists there, or latest,
                               17-latest, 18-latest (the newest minor of the newest major or of that one, as
                               Maven Central lists it, else the newest in the local Maven repository; which
                               one and why is printed, and runs record that version); default pg17
              --pg-home DIR    an installed PostgreSQL: DIR/bin holds initdb, pg_ctl and postgres
                               (an IvorySQL build is recognised as such)
              --ivorysql-mode pg|oracle
                               with an IvorySQL --pg-home or --image: the initdb mode (default oracle,
                               IvorySQL's)
              --slot-sync built-in|pg_failover_slots
                               with --pg-home: what keeps the standby's copies, the server's own failover
                               slots (17 and later) or the pg_failover_slots extension installed in it
                               (default: the extension on 16 and earlier where installed, else built-in)
              --backend local|docker
                               where the servers run: processes of this machine (default), or containers
                               of a Docker engine, each server in its own, of an image built here from the
                               --target or --pg-home binaries, or of --image IMAGE (e.g. postgres:17)
              --external CONFIG
                               a running primary and standby slotcheck did not make (a vendor's, an HA
                               tool's), and optionally a subscriber, as the JSON file CONFIG describes them
                               with the commands slotcheck may run (docs/external-clusters.md): each
                               sequence adopts them, and takes away what it made afterwards
              --image-profile local|postgres|ivorysql
                               what the --image is like (default: local for slotcheck/postgres images,
                               ivorysql for ivorysql/ivorysql ones (account ivorysql), else postgres,
                               the official images: programs on the PATH, account postgres)

            other options:
              --work-dir DIR   where binaries, templates and clusters live (default $SLOTCHECK_WORK,
                               else /dev/shm/slotcheck-<user> on a tmpfs, else <tmpdir>/slotcheck-<user>)

            exit codes: 0 ok, 1 conformance violation, 2 usage, 3 server (infrastructure), 4 binaries,
                        5 work directory, 6 history file, 7 report, 8 container engine, 9 external cluster configuration,
                        10 self-test missed a mutant, 11 suite not built (run it through ./slotcheck),
                        12 the servers have no failover slots (16 without pg_failover_slots), 13 only defects fixed upstream
                        (the servers' minor lacks a later minor's fix), 70 internal error, 130 interrupted
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    private static int clean(Options options, PrintStream out) {
        WorkArea.open(options.workDirectory, ServerAccount.forCurrentProcess()).remove();
        out.println("removed " + options.workDirectory.toAbsolutePath().normalize());
        return ExitCode.OK.code();
    }

    private static int runCampaign(Options options, PrintStream out) {
        CampaignProfile named = CampaignProfile.named(options.profile).withFaults(options.faults);
        long seed = options.seed != null ? options.seed : new java.security.SecureRandom().nextLong();
        Path results = options.out != null ? options.out : newResults("");
        Target target = options.target();
        CampaignProfile profile = named.forSlotSync(target.slotSync());
        // made first: a profile the target cannot run is refused before anything is printed or written
        Campaign campaign = new Campaign(target, new Campaign.Settings(options.sequences, options.steps, seed, profile,
                options.timeBudget(Duration.ofMinutes(30)), options.shrinkBudget(Duration.ofMinutes(2)), results, results.resolve("allure-results"),
                options.plotAll, options.shard), out);
        out.printf("campaign on %s: seed %d, %d sequences x %d steps%s, profile %s, results in %s%n", target.describe(), seed,
                options.sequences, options.steps, options.shard == Shard.WHOLE ? "" : " (shard " + options.shard + ": sequences "
                        + options.shard.index() + ", " + (options.shard.index() + options.shard.count()) + ", ...)", profile.name(), results);
        RunSummary summary = campaign.run();
        out.println(summary.describe());
        out.println("report: ./slotcheck report " + results);
        return summary.exitCode().code();
    }

    private static int selfTest(Options options, PrintStream out) {
        requireKnown("mutant", options.only, Mutant.catalogue().stream().map(Mutant::name).toList());
        Path results = options.out != null ? options.out : newResults("selftest-");
        List<SelfTest.Result> scored = SelfTest.run(options.target(), options.only, options.seed != null ? options.seed : SELFTEST_SEED,
                options.timeBudget(Duration.ofMinutes(3)), options.shrinkBudget(Duration.ofMinutes(5)), results, out);
        out.println("results: " + results.resolve("selftest.json"));
        return scored.stream().allMatch(SelfTest.Result::caught) ? ExitCode.OK.code() : ExitCode.MUTANT_MISSED.code();
    }

    private static int suite(Options options, PrintStream out) {
        ConformanceSuite suite = ConformanceSuite.onClassPath().orElseThrow(() -> new SlotcheckException(ExitCode.SUITE_NOT_BUILT,
                "the conformance suite is not on the class path: run it through ./slotcheck, which builds it"));
        requireKnown("scenario", options.only, suite.ids());
        Path results = options.out != null ? options.out : newResults("suite-");
        return suite.run(options.target(), options.only, results, out).code();
    }

    /** Each of {@code named} is one of {@code known} {@code what}s, else a usage error listing them. */
    private static void requireKnown(String what, List<String> named, List<String> known) {
        named.stream().filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
            throw Options.usage("no " + what + " '" + name + "': choose from " + String.join(", ", known));
        });
    }

    /** A new results directory under slotcheck-results/, named by {@code prefix} and the time. */
    private static Path newResults(String prefix) {
        return Path.of("slotcheck-results", prefix
                + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The self-test's seed, fixed so that its figures compare from run to run. */
    private static final long SELFTEST_SEED = 1801;

    private static int replay(List<String> arguments, PrintStream out) {
        if (arguments.isEmpty() || arguments.get(0).startsWith("--")) {
            throw Options.usage("replay takes a replay file");
        }
        Path file = Path.of(arguments.get(0));
        ReplayFile replay = ReplayFile.read(file);
        List<String> selection = new java.util.ArrayList<>(replay.targetSelection());
        selection.addAll(arguments.subList(1, arguments.size()));
        Path logs = file.toAbsolutePath().resolveSibling(file.getFileName() + ".logs");
        return Replay.run(replay, logs, Options.parse(selection, Options.TARGET).target(), out);
    }

    /** The command line without exiting: the exit code is returned. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.isEmpty() || Set.of("--help", "-h", "help").contains(args.get(0))) {
                out.print(HELP);
                return args.isEmpty() ? ExitCode.USAGE.code() : ExitCode.OK.code();
            }
            List<String> options = args.subList(1, args.size());
            return switch (args.get(0)) {
                case "bench" -> Bench.run(Options.parse(options, Options.targetAnd("--runs", "--json", "--shrink", "--seed",
                        "--shrink-budget")), out);
                case "clean" -> clean(Options.parse(options, Set.of("--work-dir")), out);
                case "check" -> HistoryCheck.run(options, out);
                case "run" -> runCampaign(Options.parse(options, Options.targetAnd("--sequences", "--steps", "--seed", "--profile",
                        "--faults", "--time-budget", "--shrink-budget", "--out", "--plot-all", "--shard")), out);
                case "report" -> Report.run(options, out);
                case "selftest" -> selfTest(Options.parse(options, Options.targetAnd("--only", "--seed", "--time-budget", "--shrink-budget",
                        "--out")), out);
                case "suite" -> suite(Options.parse(options, Options.targetAnd("--only", "--out")), out);
                case "replay" -> replay(options, out);
                case "bisect" -> BisectCommand.run(options, out);
                case "doctor" -> Doctor.run(options, System::getenv, out);
                default -> throw Options.usage("unknown command '" + args.get(0) + "'");
            };
        } catch (RuntimeException e) {
            if (Cluster.shuttingDown()) {
                // what failed did so because its servers were stopped under it
                err.println("slotcheck: interrupted: servers stopped; results so far are kept (summary.json says \"interrupted\")");
                return ExitCode.INTERRUPTED.code();
            }
            if (e instanceof SlotcheckException diagnosed) {
                err.println("slotcheck: " + diagnosed.getMessage());
                return diagnosed.exitCode().code();
            }
            if (e instanceof WaitTimeoutException timeout) {
                err.println("slotcheck: a server did not get there in time: " + timeout.getMessage());
                return ExitCode.SERVER.code();
            }
            if (e instanceof NodeSqlException failed) {
                err.println("slotcheck: a server failed where it must answer: " + failed.getMessage());
                return ExitCode.SERVER.code();
            }
            err.println("slotcheck: internal error (a defect of slotcheck, please report it): " + e);
            return ExitCode.INTERNAL.code();
        }
    }
}
