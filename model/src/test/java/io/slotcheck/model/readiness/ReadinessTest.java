package io.slotcheck.model.readiness;

import io.slotcheck.model.Fixtures.Node;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.version.VersionProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static io.slotcheck.model.Fixtures.PG17;
import static io.slotcheck.model.Fixtures.PG18;
import static io.slotcheck.model.Fixtures.PRIMARY_PORT;
import static io.slotcheck.model.Fixtures.STANDBY_PORT;
import static io.slotcheck.model.Fixtures.primary;
import static io.slotcheck.model.Fixtures.slot;
import static io.slotcheck.model.Fixtures.standby;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadinessTest {

    private static final VersionProfile PROFILE = VersionProfile.of(PG17);

    /** A primary with the failover slot s, listing its streaming standby's slot in synchronized_standby_slots. */
    private static Node healthyPrimary() {
        return primary("primary", PRIMARY_PORT).with(slot("standby1").physical().active(), slot("s"))
                .setting("synchronized_standby_slots", "standby1");
    }

    /** Its standby, syncing with the worker, with a failover-ready copy of s at the slot's position. */
    private static Node healthyStandby() {
        return standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()).setting("sync_replication_slots", "on")
                .syncWorker(301);
    }

    private static Readiness.Assessment assess(Node primary, Node standby, ConfigFileEntry... files) {
        return Readiness.assess(new ClusterView(primary.snapshot(), List.of(standby.snapshot()), List.of(), List.of(files), List.of(),
                List.of(), List.of()), PROFILE);
    }

    /** The findings of {@code rule}, as "severity: problem". */
    private static List<String> found(Readiness.Assessment assessment, Rule rule) {
        return assessment.findings().stream().filter(finding -> finding.rule() == rule)
                .map(finding -> finding.severity().label() + ": " + finding.problem()).toList();
    }

    /** {@code broken} names its problem under {@code rule} with the severity given, and the same cluster mended does not. */
    private static void foundThenMended(Readiness.Assessment broken, Readiness.Assessment mended, Rule rule, Severity severity, String problem) {
        List<String> findings = found(broken, rule);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith(severity.label() + ": "), findings.toString());
        assertTrue(findings.get(0).contains(problem), findings.get(0));
        assertEquals(severity.notReady(), !broken.ready());
        assertEquals(List.of(), found(mended, rule));
    }

    @Test
    void aHealthyPairIsReadyWithNothingFound() {
        Readiness.Assessment assessment = assess(healthyPrimary(), healthyStandby());
        assertEquals(List.of(), assessment.findings());
        assertTrue(assessment.ready());
        CopyVerdict copy = assessment.copies().get(0);
        assertTrue(copy.survives(), copy.toString());
        assertEquals(0L, copy.bytesBehind());
    }

    @Test
    void primaryConninfoWithoutDbnameIsNamedWithItsFix() {
        Readiness.Assessment broken = assess(healthyPrimary(), healthyStandby()
                .setting("primary_conninfo", "host=127.0.0.1 port=5432 user=postgres"));
        foundThenMended(broken, assess(healthyPrimary(), healthyStandby()), Rule.SYNC_PARAMETERS, Severity.BLOCKS_FAILOVER,
                "requires \"dbname\" to be specified in \"primary_conninfo\"");
        assertTrue(broken.findings().get(0).fix().contains("dbname="), broken.findings().get(0).fix());
    }

    @Test
    void eachSyncPreconditionIsNamed() {
        Function<Node, Readiness.Assessment> with = standby -> assess(healthyPrimary(), standby);
        foundThenMended(with.apply(healthyStandby().setting("hot_standby_feedback", "off")), with.apply(healthyStandby()),
                Rule.SYNC_PARAMETERS, Severity.BLOCKS_FAILOVER, "\"hot_standby_feedback\" to be enabled");
        foundThenMended(with.apply(healthyStandby().setting("primary_slot_name", "")), with.apply(healthyStandby()),
                Rule.SYNC_PARAMETERS, Severity.BLOCKS_FAILOVER, "\"primary_slot_name\" to be set");
        foundThenMended(with.apply(healthyStandby().setting("primary_slot_name", "gone")), with.apply(healthyStandby()),
                Rule.PRIMARY_SLOT_ON_THE_PRIMARY, Severity.BLOCKS_FAILOVER, "\"gone\" specified by \"primary_slot_name\" does not exist");
        foundThenMended(with.apply(healthyStandby().setting("sync_replication_slots", "off")), with.apply(healthyStandby()),
                Rule.SYNC_RUNS, Severity.NOTE, "only a tool that calls pg_sync_replication_slots()");
        foundThenMended(with.apply(standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced())
                        .setting("sync_replication_slots", "on")), with.apply(healthyStandby()),
                Rule.SYNC_RUNS, Severity.DEGRADES, "no slot sync worker runs");
        foundThenMended(with.apply(healthyStandby().notStreaming()), with.apply(healthyStandby()),
                Rule.STANDBY_STREAMS, Severity.DEGRADES, "does not stream");
    }

    @Test
    void aPrimaryWithoutFailoverSlotsHasNothingToLose() {
        Node primary = primary("primary", PRIMARY_PORT).with(slot("standby1").physical().active()).setting("synchronized_standby_slots", "standby1");
        Readiness.Assessment assessment = assess(primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("hot_standby_feedback", "off"));
        assertEquals(List.of("degrades: a failover slot made now would not be synced to it: the server says \"replication slot synchronization"
                + " requires \"hot_standby_feedback\" to be enabled\""), found(assessment, Rule.SYNC_PARAMETERS));
        assertTrue(assessment.ready());
    }

    @Test
    void anUnreadConninfoIsNotTakenForAnEmptyOne() {
        Node standby = healthyStandby();
        Readiness.Assessment unread = Readiness.assess(new ClusterView(healthyPrimary().snapshot(), List.of(standby.snapshot().withSettings(
                java.util.Map.of("wal_level", "logical", "hot_standby_feedback", "on", "sync_replication_slots", "on"))), List.of(),
                List.of(), List.of(), List.of(new Unread("standby1", "primary_conninfo", "permission denied")), List.of()), PROFILE);
        assertEquals(List.of(), found(unread, Rule.SYNC_PARAMETERS));
        assertEquals(1, unread.unread().size());
    }

    @Test
    void aCopyThatIsNotFailoverReadyBlocksFailover() {
        Readiness.Assessment mended = assess(healthyPrimary(), healthyStandby());
        foundThenMended(assess(healthyPrimary(), healthyStandby().with(slot("s").synced().temporary())), mended,
                Rule.COPY_FAILOVER_READY, Severity.BLOCKS_FAILOVER, "the copy is temporary: a promotion drops it");
        foundThenMended(assess(healthyPrimary(), healthyStandby().with(slot("s").synced().invalidated("rows_removed", true))), mended,
                Rule.COPY_FAILOVER_READY, Severity.BLOCKS_FAILOVER, "the copy is invalidated (rows_removed)");
        foundThenMended(assess(healthyPrimary(), healthyStandby().without("s")), mended,
                Rule.COPY_FAILOVER_READY, Severity.BLOCKS_FAILOVER, "loses the slot s: no copy on standby1");
        assertFalse(assess(healthyPrimary(), healthyStandby().without("s")).copies().get(0).survives());
    }

    @Test
    void aSlotTheSyncDoesNotSendNeedsNoCopy() {
        Readiness.Assessment assessment = assess(healthyPrimary().with(slot("plain").noFailover(), slot("t").temporary()), healthyStandby());
        assertEquals(List.of("s"), assessment.copies().stream().map(CopyVerdict::slot).toList());
        assertTrue(assessment.ready());
    }

    @Test
    void aConsumerAheadOfTheStandbyLosesDataOnPromotion() {
        Readiness.Assessment broken = assess(healthyPrimary().with(slot("s").confirmed("0/3000300")), healthyStandby());
        foundThenMended(broken, assess(healthyPrimary(), healthyStandby()), Rule.STANDBY_HAS_WHAT_CONSUMERS_RECEIVED,
                Severity.LOSES_OR_DUPLICATES_DATA, "was sent changes standby1 does not have");
        assertFalse(broken.copies().get(0).survives());
    }

    @Test
    void aCopyBehindItsSlotIsANote() {
        Readiness.Assessment behind = assess(healthyPrimary().with(slot("s").confirmed("0/3000180")), healthyStandby());
        foundThenMended(behind, assess(healthyPrimary(), healthyStandby()), Rule.COPY_KEEPS_UP, Severity.NOTE, "is 128 bytes behind");
        assertTrue(behind.copies().get(0).survives());
    }

    @Test
    void aDemotedPrimarysLeftoverSlotIsNamed() {
        // named like a failover slot of the primary: every sync cycle stops at it (field failure 1)
        foundThenMended(assess(healthyPrimary(), healthyStandby().with(slot("s"))), assess(healthyPrimary(), healthyStandby()),
                Rule.NO_LEFTOVER_FAILOVER_SLOT, Severity.BLOCKS_FAILOVER, "same name slot \"s\" already exists on the standby");
        // a failover slot the primary no longer has: it only holds WAL back
        foundThenMended(assess(healthyPrimary(), healthyStandby().with(slot("old"))), assess(healthyPrimary(), healthyStandby()),
                Rule.NO_LEFTOVER_FAILOVER_SLOT, Severity.DEGRADES, "a leftover of its time as a primary");
    }

    @Test
    void theBarrierNamesEachStreamingStandby() {
        Readiness.Assessment mended = assess(healthyPrimary(), healthyStandby());
        foundThenMended(assess(healthyPrimary().setting("synchronized_standby_slots", ""), healthyStandby()), mended,
                Rule.BARRIER_LISTS_STREAMING_STANDBYS, Severity.DEGRADES, "synchronized_standby_slots is empty");
        Readiness.Assessment stale = assess(healthyPrimary().setting("synchronized_standby_slots", "standby1,old_primary"), healthyStandby());
        foundThenMended(stale, mended, Rule.BARRIER_LISTS_STREAMING_STANDBYS, Severity.DEGRADES,
                "waits on old_primary: \"replication slot \"old_primary\" specified in parameter \"synchronized_standby_slots\" does not exist\"");
        foundThenMended(assess(healthyPrimary().with(slot("standby1").physical()), healthyStandby()), mended,
                Rule.BARRIER_LISTS_STREAMING_STANDBYS, Severity.DEGRADES, "\"standby1\" specified in parameter \"synchronized_standby_slots\" does not have active_pid");
        foundThenMended(assess(healthyPrimary().with(slot("standby2").physical().active()).setting("synchronized_standby_slots", "standby2"),
                        healthyStandby()), mended,
                Rule.BARRIER_LISTS_STREAMING_STANDBYS, Severity.DEGRADES, "standby1 is not waited for");
    }

    @Test
    void consumersHeldNowAreListed() {
        Readiness.Assessment held = Readiness.assess(new ClusterView(healthyPrimary().snapshot(), List.of(healthyStandby().snapshot()), List.of(),
                List.of(), List.of(new HeldConsumer(4711, "walsender", "sub1")), List.of(), List.of()), PROFILE);
        assertEquals(List.of("note: 1 consumer(s) wait on synchronized_standby_slots now (a moment's wait is normal; one that lasts means"
                + " a listed standby is behind or away)"), found(held, Rule.CONSUMERS_NOT_HELD));
        assertTrue(held.ready(), "a caught-up walsender waits there for each confirmation of a healthy standby");
        assertTrue(held.findings().get(0).evidence().get(0).contains("pid 4711 (walsender, sub1)"));
    }

    @Test
    void theLegacyStandbySlotNamesInAConfigurationFileIsNamed() {
        ConfigFileEntry legacy = new ConfigFileEntry("primary", "/data/postgresql.auto.conf", 3, "standby_slot_names", "standby1",
                "unrecognized configuration parameter \"standby_slot_names\"");
        Readiness.Assessment broken = assess(healthyPrimary(), healthyStandby(), legacy);
        foundThenMended(broken, assess(healthyPrimary(), healthyStandby(), new ConfigFileEntry("primary", "/data/postgresql.auto.conf", 3,
                "synchronized_standby_slots", "standby1", null)), Rule.CONFIGURATION_FILES_LOAD, Severity.BLOCKS_FAILOVER,
                "the pre-release name of synchronized_standby_slots");
        assertTrue(broken.findings().get(0).fix().contains("rename it synchronized_standby_slots"));
    }

    @Test
    void aSubscriptionWithoutFailoverIsNamed() {
        Function<Boolean, Readiness.Assessment> subscribed = failover -> {
            Node primary = healthyPrimary().with(failover ? slot("sub1") : slot("sub1").noFailover());
            Node standby = healthyStandby().with(slot("sub1").synced());
            var subscriber = primary("subscriber", 15999).snapshot().withSubscriptions(List.of(new SubscriptionRow("sub1", true, null,
                    PRIMARY_PORT, "sub1", failover, 4343, null, null, true)));
            return Readiness.assess(new ClusterView(primary.snapshot(), List.of(standby.snapshot()), List.of(subscriber), List.of(), List.of(),
                    List.of(), List.of()), PROFILE);
        };
        foundThenMended(subscribed.apply(false), subscribed.apply(true), Rule.SUBSCRIPTION_FAILOVER, Severity.BLOCKS_FAILOVER,
                "uses the slot sub1, which is not a failover slot");
    }

    @Test
    void anInvalidatedSlotOfThePrimaryIsNoFailoverMatter() {
        Readiness.Assessment assessment = assess(healthyPrimary().with(slot("s").invalidated("wal_removed", false)), healthyStandby().without("s"));
        assertEquals(List.of("degrades: the slot s is invalidated (wal_removed): its consumer cannot go on, promoted or not"),
                found(assessment, Rule.NO_IDLE_SLOT_HOLDING_WAL));
        assertEquals(List.of(), assessment.copies());
        assertTrue(assessment.ready());
    }

    @Test
    void theVersionsOwnTextsAreQuoted() {
        Readiness.Assessment on18 = Readiness.assess(new ClusterView(healthyPrimary().setting("synchronized_standby_slots", "gone").snapshot(),
                List.of(healthyStandby().version(PG18).snapshot()), List.of(), List.of(), List.of(), List.of(), List.of()), VersionProfile.of(PG18));
        assertTrue(found(on18, Rule.BARRIER_LISTS_STREAMING_STANDBYS).get(0).contains("\"gone\" specified in parameter"), on18.findings().toString());
    }

    @Test
    void aWatchSaysWhatAppearedWhatWasMendedAndWhichSlotsTurned() {
        Readiness.Assessment healthy = assess(healthyPrimary(), healthyStandby());
        Readiness.Assessment temporary = assess(healthyPrimary(), healthyStandby().with(slot("s").synced().temporary()));
        assertEquals(List.of("now NOT READY", "+ BLOCKS FAILOVER  standby1  copy-failover-ready: a promotion of standby1 now loses the slot s:"
                + " the copy is temporary: a promotion drops it", "~ s on standby1 no longer survives a promotion: the copy is temporary:"
                + " a promotion drops it"), Readiness.changes(healthy, temporary));
        assertEquals(List.of("now READY", "- mended  standby1  copy-failover-ready: a promotion of standby1 now loses the slot s: the copy"
                + " is temporary: a promotion drops it", "~ s on standby1 survives a promotion now"), Readiness.changes(temporary, healthy));
        // a copy further behind is the same finding
        Readiness.Assessment behind = assess(healthyPrimary().with(slot("s").confirmed("0/3000180")), healthyStandby());
        Readiness.Assessment further = assess(healthyPrimary().with(slot("s").confirmed("0/30001A0")), healthyStandby());
        assertEquals(List.of(), Readiness.changes(behind, further));
        assertEquals(List.of(), Readiness.changes(healthy, healthy));
    }

    @Test
    void theSyncsTroubleAtTheEndOfTheLogIsQuoted() {
        String sameName = "2026-12-07 10:00:01.000 UTC [301] slotsync worker: ERROR:  exiting from slot synchronization because same name"
                + " slot \"s\" already exists on the standby";
        Node logged = healthyStandby().log("2026-12-07 10:00:00.000 UTC [300] LOG:  slot sync worker started").log(sameName);
        List<String> found = found(assess(healthyPrimary(), logged), Rule.SYNC_RUNS);
        assertEquals(List.of("note: the end of standby1's log shows 1 line(s) of trouble with the slot sync, the last ones below"), found);
        assertEquals(List.of(sameName), assess(healthyPrimary(), logged).findings().get(0).evidence());
        assertEquals(List.of(), found(assess(healthyPrimary(), healthyStandby().log("2026-12-07 10:00:00.000 UTC [300] LOG:  slot sync"
                + " worker started")), Rule.SYNC_RUNS));
    }

    @Test
    void aStandbyThatDoesNotAnswerBlocksFailoverASubscriberIsANote() {
        Readiness.Assessment silent = Readiness.assess(new ClusterView(healthyPrimary().snapshot(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(new Unreachable("standby1", "db2:5432", true, "Connection refused"),
                new Unreachable("subscriber1", "db3:5432", false, "Connection refused"))), PROFILE);
        assertEquals(List.of("blocks failover: standby1 at db2:5432 does not answer: whether its copies would survive a promotion is not known",
                "note: subscriber1 at db3:5432 does not answer"), found(silent, Rule.SERVER_ANSWERS));
        assertFalse(silent.ready());
    }

    @Test
    void twoSynchronizersOfOneStandbyAreNamed() {
        foundThenMended(assess(healthyPrimary(), healthyStandby().setting("pg_failover_slots.version", "1.2.1")),
                assess(healthyPrimary(), healthyStandby()), Rule.ONE_SYNCHRONIZER, Severity.DEGRADES,
                "both the slot sync worker (sync_replication_slots on) and the pg_failover_slots extension");
    }

    @Test
    void anIdleSlotHoldingMoreThanMaxWalSizeIsNamed() {
        Function<String, Readiness.Assessment> withStatus = status -> assess(healthyPrimary().with(slot("plain").noFailover().walStatus(status)),
                healthyStandby());
        foundThenMended(withStatus.apply("extended"), withStatus.apply("reserved"), Rule.NO_IDLE_SLOT_HOLDING_WAL, Severity.DEGRADES,
                "holds more WAL than max_wal_size");
        foundThenMended(withStatus.apply("unreserved"), withStatus.apply("reserved"), Rule.NO_IDLE_SLOT_HOLDING_WAL, Severity.DEGRADES,
                "is about to lose WAL it needs");
    }

    @Test
    void aSubscriptionThatConnectsElsewhereIsANote() {
        Function<Integer, Readiness.Assessment> connectingTo = port -> {
            var subscriber = primary("subscriber", 15999).snapshot().withSubscriptions(List.of(new SubscriptionRow("sub1", true, null,
                    port, "s", true, 4343, null, null, true)));
            return Readiness.assess(new ClusterView(healthyPrimary().snapshot(), List.of(healthyStandby().snapshot()), List.of(subscriber),
                    List.of(), List.of(), List.of(), List.of()), PROFILE);
        };
        foundThenMended(connectingTo.apply(6432), connectingTo.apply(PRIMARY_PORT), Rule.SUBSCRIPTION_FAILOVER, Severity.NOTE,
                "connects to :6432, not to the primary's address given here");
    }

    @Test
    void aSlotStillBeingCreatedNeedsNoCopyYet() {
        Readiness.Assessment assessment = assess(healthyPrimary().with(slot("new").beingMade()), healthyStandby());
        assertEquals(List.of("s"), assessment.copies().stream().map(CopyVerdict::slot).toList());
        assertTrue(assessment.ready(), assessment.findings().toString());
    }

    @Test
    void aRestartOnlySettingChangedInTheFilesIsANoteAnUnknownNameBlocks() {
        Function<String, Readiness.Assessment> withError = error -> assess(healthyPrimary(), healthyStandby(), new ConfigFileEntry("primary",
                "/data/postgresql.conf", 12, error.startsWith("unrecognized") ? "wal_sender_timout" : "max_wal_senders", "20", error));
        assertEquals(List.of("note: the configuration files hold a setting not applied now: check it before the next restart"),
                found(withError.apply("setting could not be applied"), Rule.CONFIGURATION_FILES_LOAD));
        assertTrue(withError.apply("setting could not be applied").ready());
        assertFalse(withError.apply("unrecognized configuration parameter \"wal_sender_timout\"").ready());
    }

    @Test
    void aNonFailoverSlotOfASubscriptionWhosePublisherIsUnknownIsANote() {
        var subscriber = primary("subscriber", 15999).snapshot().withSubscriptions(List.of(new SubscriptionRow("sub1", true, null, null,
                "sub1", false, 4343, null, null, true)));
        Readiness.Assessment unknown = Readiness.assess(new ClusterView(healthyPrimary().with(slot("sub1").noFailover()).snapshot(),
                List.of(healthyStandby().snapshot()), List.of(subscriber), List.of(), List.of(), List.of(), List.of()), PROFILE);
        assertEquals(List.of("note: if it publishes from this primary, the subscription sub1 uses the slot sub1, which is not a failover"
                + " slot: a promotion now leaves it without its slot"), found(unknown, Rule.SUBSCRIPTION_FAILOVER));
    }

    @Test
    void aDbnameIsFoundInEitherFormOfPrimaryConninfoAndAnEmptyOneIsNone() {
        Function<String, List<String>> withConninfo = conninfo -> found(assess(healthyPrimary(), healthyStandby()
                .setting("primary_conninfo", conninfo)), Rule.SYNC_PARAMETERS);
        assertEquals(List.of(), withConninfo.apply("postgresql://repl@127.0.0.1:5432/postgres?application_name=standby1"));
        assertEquals(List.of(), withConninfo.apply("postgresql://repl@127.0.0.1:5432?dbname=postgres"));
        assertEquals(List.of(), withConninfo.apply("host=127.0.0.1 port=5432 dbname = 'postgres'"));
        for (String without : List.of("postgresql://repl@127.0.0.1:5432", "postgresql://repl@127.0.0.1:5432/", "host=127.0.0.1 dbname=''",
                "host=127.0.0.1 port=5432")) {
            assertEquals(1, withConninfo.apply(without).size(), without);
        }
    }

    @Test
    void aWalreceiverWhoseStateTheRoleMayNotSeeIsNotJudged() {
        var standby = healthyStandby().snapshot();
        var blank = standby.withWalReceiver(standby.walReceiver().map(row -> new io.slotcheck.model.observation.WalReceiverRow(row.pid(), null,
                null, null, null, 0, null, null, null)));
        Readiness.Assessment assessment = Readiness.assess(new ClusterView(healthyPrimary().snapshot(), List.of(blank), List.of(), List.of(),
                List.of(), List.of(), List.of()), PROFILE);
        assertEquals(List.of(), found(assessment, Rule.STANDBY_STREAMS));
    }
}
