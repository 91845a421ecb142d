package io.slotcheck.model.operation;

import io.slotcheck.model.Fixtures;
import io.slotcheck.model.Fixtures.HistoryBuilder;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.state.NodeStatus;
import io.slotcheck.model.state.Role;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.VersionProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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

/** Preconditions and effects: what may be tried in a state, and how operations change it. */
class OperationRulesTest {

    private static final VersionProfile PROFILE = VersionProfile.of(PG17);

    private static ModelState pairWithSyncedSlot() {
        return ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.SyncSlots("standby1"), primary("primary", PRIMARY_PORT).with(slot("s"), slot("standby1").physical()),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .build().steps());
    }

    @Test
    void serverVerbsFollowTheNodesStatus() {
        ModelState running = pairWithSyncedSlot();
        assertTrue(new Operation.CrashNode("primary").allowed(running));
        assertFalse(new Operation.StartNode("primary").allowed(running), "a running server is not started again");
        assertFalse(new Operation.ResumeNode("primary").allowed(running));

        ModelState crashed = new Operation.CrashNode("primary").effect(running, Outcome.ok());
        assertEquals(NodeStatus.CRASHED, crashed.node("primary").orElseThrow().status());
        assertTrue(new Operation.StartNode("primary").allowed(crashed));
        assertFalse(new Operation.WriteTransactions("primary", 1, false).allowed(crashed), "nothing runs on a crashed server");
        assertEquals(NodeStatus.RUNNING, new Operation.StartNode("primary").effect(crashed, Outcome.ok()).node("primary").orElseThrow().status());
        assertEquals(NodeStatus.CRASHED, new Operation.StartNode("primary").effect(crashed, new Outcome.Failed("XX000", "no"))
                .node("primary").orElseThrow().status(), "a start that failed leaves it down");

        ModelState paused = new Operation.PauseNode("standby1").effect(running, Outcome.ok());
        assertTrue(new Operation.ResumeNode("standby1").allowed(paused));
        assertFalse(new Operation.SyncSlots("standby1").allowed(paused));
    }

    @Test
    void failoverIsRefusedToAPhysicalSlotAsItIsMade() {
        ModelState running = pairWithSyncedSlot();
        assertEquals(new Expected.FailsWith(Message.CONFLICTING_OPTIONS), new Operation.CreatePhysicalSlot("primary", "p", true).expect(running, PROFILE));
        assertEquals(Expected.UNPREDICTED, new Operation.CreatePhysicalSlot("primary", "p").expect(running, PROFILE));
    }

    @Test
    void aSettingThatKeepsTheServerFromStartingLeavesItStopped() {
        ModelState running = pairWithSyncedSlot();
        Operation lowered = new Operation.SetSetting("standby1", "hot_standby", "off");
        assertTrue(lowered.restarts("standby1"), "hot_standby takes effect at a restart");
        assertFalse(new Operation.SetSetting("standby1", "hot_standby_feedback", "off").restarts("standby1"), "a reload restarts nothing");
        ModelState refused = lowered.effect(running, new Outcome.Failed(null, "standby1 did not start: FATAL:  logical replication slot"));
        assertEquals(NodeStatus.STOPPED, refused.node("standby1").orElseThrow().status());
        assertTrue(new Operation.SetSettingWhileStopped("standby1", "hot_standby", "on").allowed(refused));
        assertFalse(new Operation.SetSettingWhileStopped("standby1", "hot_standby", "on").allowed(running), "only a stopped server's files");
        assertEquals(NodeStatus.RUNNING, lowered.effect(running, new Outcome.Failed("22023", "invalid value")).node("standby1").orElseThrow().status(),
                "a value the server refused changed nothing");
    }

    @Test
    void nodesMadeOrConvertedJoinTheTopologyWithTheirRoles() {
        ModelState running = pairWithSyncedSlot();
        assertTrue(new Operation.AddStandby("standby2", "primary").allowed(running));
        assertFalse(new Operation.AddStandby("standby2", "standby1").allowed(running), "a standby of a standby is a cascading one");
        assertEquals(NodeStatus.STOPPED, new Operation.AddStandby("standby2", "primary").effect(running, new Outcome.Failed(null, "no"))
                .node("standby2").orElseThrow().status(), "a node that could not be made stays, stopped");
        ModelState converted = new Operation.ConvertToSubscriber("standby1", "primary", "sub").effect(running, Outcome.ok());
        assertEquals(Role.SUBSCRIBER, converted.node("standby1").orElseThrow().role());
        assertTrue(new Operation.ConvertToSubscriber("standby1", "primary", "sub").restarts("standby1"));
        assertFalse(new Operation.UpgradeInPlace("standby1").allowed(running), "pg_upgrade is of a primary");
        assertTrue(new Operation.UpgradeInPlace("primary").allowed(running));
    }

    @Test
    void anIsolatedStandbyIsLeftAloneUntilReconnected() {
        ModelState running = pairWithSyncedSlot();
        assertFalse(new Operation.DisconnectNode("primary").allowed(running), "only a standby is taken off the network");
        assertFalse(new Operation.ReconnectNode("standby1").allowed(running));
        ModelState isolated = new Operation.DisconnectNode("standby1").effect(running, Outcome.ok());
        assertEquals(NodeStatus.ISOLATED, isolated.node("standby1").orElseThrow().status());
        assertFalse(new Operation.SyncSlots("standby1").allowed(isolated), "nothing reaches an isolated server");
        assertFalse(new Operation.StopNode("standby1", false).allowed(isolated));
        assertFalse(new Operation.DisconnectNode("standby1").allowed(isolated));
        assertTrue(new Operation.WriteTransactions("primary", 1, false).allowed(isolated), "the primary goes on");
        assertTrue(new Operation.ReconnectNode("standby1").allowed(isolated));
        assertEquals(NodeStatus.RUNNING, new Operation.ReconnectNode("standby1").effect(isolated, Outcome.ok()).node("standby1").orElseThrow().status());
        ModelState cut = new Operation.PartitionLink("standby1", true).effect(running, Outcome.ok());
        assertFalse(new Operation.DisconnectNode("standby1").allowed(cut), "one partition of a standby at a time");
    }

    @Test
    void rolesComeFromOperationsSoThatAPlanDependsOnItsSeedAlone() {
        ModelState planned = ModelState.of(java.util.Map.of("primary", Role.PRIMARY, "standby1", Role.STANDBY));
        assertTrue(new Operation.Promote("standby1").allowed(planned));
        assertFalse(new Operation.Promote("primary").allowed(planned));
        assertTrue(new Operation.WriteTransactions("primary", 1, false).allowed(planned));
        assertFalse(new Operation.WriteTransactions("standby1", 1, false).allowed(planned), "a standby takes no writes");

        ModelState promoted = new Operation.Promote("standby1").effect(planned, Outcome.ok());
        assertEquals(Role.PRIMARY, promoted.node("standby1").orElseThrow().role());
        assertFalse(new Operation.Promote("standby1").allowed(promoted), "promoted once");
        assertTrue(new Operation.WriteTransactions("standby1", 1, false).allowed(promoted));
        assertEquals(Role.STANDBY, new Operation.Promote("standby1").effect(planned, new Outcome.Failed("XX000", "no"))
                .node("standby1").orElseThrow().role(), "a failed promotion changes nothing");
    }

    @Test
    void expectationsReadTheStateBeforeTheOperation() {
        ModelState state = pairWithSyncedSlot();
        assertEquals(new Expected.FailsWith(Message.SYNC_ON_PRIMARY), new Operation.SyncSlots("primary").expect(state, PROFILE));
        assertEquals(new Expected.FailsWith(Message.SYNCED_SLOT_DROP, Message.SLOT_ACTIVE),
                new Operation.DropSlot("standby1", "s").expect(state, PROFILE));
        assertEquals(Expected.UNPREDICTED, new Operation.DropSlot("primary", "s").expect(state, PROFILE), "the primary's own slot drops");
        assertEquals(new Expected.FailsWith(Message.SYNCED_SLOT_DECODING, Message.SLOT_ACTIVE),
                new Operation.AdvanceSlot("standby1", "s", null).expect(state, PROFILE));
        assertEquals(new Expected.FailsWith(Message.SYNCED_SLOT_ALTER, Message.CANCELED_BY_CLIENT),
                new Operation.AlterSlotFailover("standby1", "s", false).expect(state, PROFILE),
                "ALTER waits for a slot the synchronizer holds instead of failing at once");
        assertEquals(Expected.UNPREDICTED, new Operation.SyncSlots("standby1").expect(state, PROFILE),
                "a well configured standby may sync, or may meet a timing-dependent refusal");
    }

    @Test
    void aStandbysOwnSlotNamedLikeAPrimaryFailoverSlotEndsTheSync() {
        ModelState demoted = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.Rejoin("standby1", "primary", "standby1"), primary("primary", PRIMARY_PORT).with(slot("s"), slot("t")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").noFailover(), slot("t").synced()))
                .build().steps());
        assertEquals(new Expected.FailsWith(Message.SYNC_SAME_NAME_EXISTS, Message.SYNC_CONCURRENTLY),
                new Operation.SyncSlots("standby1").expect(demoted, PROFILE));

        ModelState notYetFlushed = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.Rejoin("standby1", "primary", "standby1"),
                        primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/4000000")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").noFailover()))
                .build().steps());
        assertEquals(Expected.UNPREDICTED, new Operation.SyncSlots("standby1").expect(notYetFlushed, PROFILE),
                "a primary slot beyond the standby's flush is skipped before its name is looked up");
    }

    @Test
    void whereServersShareAPortAStandbysUpstreamIsTheServerAtTheHostItNames() {
        Fixtures.Node db1 = primary("primary", PRIMARY_PORT).at("db1");
        Fixtures.Node db3 = primary("other", PRIMARY_PORT).at("db3");
        ModelState streaming = ModelState.after(new HistoryBuilder(PG17).ok(new Operation.Checkpoint("primary"), db3, db1,
                standby("standby1", PRIMARY_PORT, PRIMARY_PORT).at("db2").upstreamAt("db1")).build().steps());
        assertEquals("primary", streaming.upstreamOf(streaming.node("standby1").orElseThrow()).orElseThrow().name(), "by its walreceiver");
        ModelState cut = ModelState.after(new HistoryBuilder(PG17).ok(new Operation.Checkpoint("primary"), db1, db3,
                standby("standby1", PRIMARY_PORT, PRIMARY_PORT).at("db2").upstreamAt("db3").notStreaming()).build().steps());
        assertEquals("other", cut.upstreamOf(cut.node("standby1").orElseThrow()).orElseThrow().name(), "by its primary_conninfo");
        ModelState portsAlone = ModelState.after(new HistoryBuilder(PG17).ok(new Operation.Checkpoint("primary"), primary("primary", PRIMARY_PORT),
                standby("standby1", STANDBY_PORT, PRIMARY_PORT).upstreamAt("10.0.0.9")).build().steps());
        assertEquals("primary", portsAlone.upstreamOf(portsAlone.node("standby1").orElseThrow()).orElseThrow().name(),
                "nodes without a host of their own are told apart by port, whatever host names them");
    }

    @Test
    void aStoppedSubscriberStartsAgainButNeverRejoinsAsAStandby() {
        ModelState stopped = ModelState.of(Map.of("primary", Role.PRIMARY, "standby1", Role.STANDBY))
                .withNode("subscriber", Role.SUBSCRIBER, NodeStatus.STOPPED);
        assertTrue(new Operation.StartNode("subscriber").allowed(stopped));
        assertTrue(!new Operation.Rejoin("subscriber", "primary", "subscriber").allowed(stopped), "it shares no WAL with the primary");
        assertTrue(new Operation.Rejoin("standby1", "primary", "standby1").allowed(stopped.withStatus("standby1", NodeStatus.STOPPED)));
    }

    @Test
    void aTemporaryCopyMayBeGoneByTheTimeAUserTouchesIt() {
        ModelState temporary = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.SyncSlots("standby1"), primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().temporary()))
                .build().steps());
        assertEquals(new Expected.FailsWith(Message.SYNCED_SLOT_ALTER, Message.CANCELED_BY_CLIENT, Message.SLOT_DOES_NOT_EXIST),
                new Operation.AlterSlotFailover("standby1", "s", true).expect(temporary, PROFILE));
        assertEquals(new Expected.FailsWith(Message.SYNCED_SLOT_DROP, Message.SLOT_ACTIVE, Message.SLOT_DOES_NOT_EXIST),
                new Operation.DropSlot("standby1", "s").expect(temporary, PROFILE));
        assertEquals(new Expected.FailsWith(Message.SYNCED_SLOT_DROP, Message.SLOT_ACTIVE),
                new Operation.DropSlot("standby1", "s").expect(pairWithSyncedSlot(), PROFILE), "a persistent copy stays");
    }

    @Test
    void anEnabledSubscriptionsOptionsAreNotAltered() {
        ModelState enabled = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.AddSubscriber("subscriber"), primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT),
                        primary("subscriber", 15999).subscription("sub1", PRIMARY_PORT))
                .build().steps());
        assertEquals(new Expected.FailsWith(Message.SUBSCRIPTION_OPTION_WHILE_ENABLED),
                new Operation.AlterSubscriptionFailover("subscriber", "sub1", false, true).expect(enabled, PROFILE));
        assertEquals(Expected.UNPREDICTED, new Operation.AlterSubscriptionFailover("subscriber", "sub1", false).expect(enabled, PROFILE),
                "disabled first, it may change");
        assertEquals(new Expected.FailsWith(Message.SUBSCRIPTION_OPTION_WHILE_ENABLED),
                new Operation.AlterSubscriptionTwoPhase("subscriber", "sub1", true, true).expect(enabled, VersionProfile.of(PG18)));
        assertEquals("cannot set failover for enabled subscription", PROFILE.text(Message.SUBSCRIPTION_OPTION_WHILE_ENABLED).text()
                .replace("%s", "failover"));
    }

    @Test
    void onlyFrom18ASubscriptionsTwoPhaseIsAltered() {
        ModelState withSubscriber = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.AddSubscriber("subscriber"), primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build().steps());
        Operation alter = new Operation.AlterSubscriptionTwoPhase("subscriber", "sub1", true);
        assertTrue(alter.allowed(withSubscriber));
        assertEquals(new Expected.FailsWith(Message.SUBSCRIPTION_PARAMETER_UNRECOGNIZED), alter.expect(withSubscriber, PROFILE));
        assertEquals(Expected.UNPREDICTED, alter.expect(withSubscriber, VersionProfile.of(PG18)));
    }

    @Test
    void aPrimarySlotNameTheUpstreamLacksEndsTheSyncEvenWhenTheStandbyCannotStream() {
        ModelState wrongSlot = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.SetSetting("standby1", "primary_slot_name", "nosuchslot"), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("primary_slot_name", "nosuchslot").notStreaming())
                .build().steps());
        assertEquals(new Expected.FailsWith(Message.SYNC_PRIMARY_SLOT_MISSING, Message.SYNC_CONCURRENTLY),
                new Operation.SyncSlots("standby1").expect(wrongSlot, PROFILE), "the upstream is the one primary_conninfo names");

        ModelState rightSlot = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.SetSetting("standby1", "primary_slot_name", "standby1"), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).notStreaming())
                .build().steps());
        assertEquals(Expected.UNPREDICTED, new Operation.SyncSlots("standby1").expect(rightSlot, PROFILE));
    }

    @Test
    void behindACutLinkASyncAsksTheUpstreamNothingSoOnlyTheStandbysOwnSettingsArePredicted() {
        ModelState cut = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.Checkpoint("primary"), primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.PartitionLink("standby1", false), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("primary_slot_name", "nosuchslot").notStreaming())
                .build().steps());
        assertTrue(cut.node("standby1").orElseThrow().linkImpaired());
        assertEquals(Expected.UNPREDICTED, new Operation.SyncSlots("standby1").expect(cut, PROFILE));

        ModelState cutAndMisconfigured = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.Checkpoint("primary"), primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.PartitionLink("standby1", true), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("hot_standby_feedback", "off").notStreaming())
                .build().steps());
        assertEquals(new Expected.FailsWith(Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK),
                new Operation.SyncSlots("standby1").expect(cutAndMisconfigured, PROFILE));

        ModelState healed = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.Checkpoint("primary"), primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.PartitionLink("standby1", false), primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.HealLink("standby1"), primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build().steps());
        assertTrue(!healed.node("standby1").orElseThrow().linkImpaired());
    }

    @Test
    void aCascadingStandbySyncIsRefusedOnlyByAnUpstreamThatCanAnswer() {
        ModelState cascading = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.AddCascadingStandby("standby2", "standby1"), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT), standby("standby2", 5434, STANDBY_PORT))
                .build().steps());
        assertEquals(new Expected.FailsWith(Message.SYNC_FROM_STANDBY), new Operation.SyncSlots("standby2").expect(cascading, PROFILE));
        ModelState upstreamPaused = new Operation.PauseNode("standby1").effect(cascading, Outcome.ok());
        assertEquals(Expected.UNPREDICTED, new Operation.SyncSlots("standby2").expect(upstreamPaused, PROFILE),
                "a paused upstream never answers: the sync waits until its bound (seen on 18.6, seed 918)");
    }

    @Test
    void rejoiningMakesAStoppedNodeAStandbyOfARunningPrimary() {
        ModelState planned = ModelState.of(java.util.Map.of("primary", Role.PRIMARY, "standby1", Role.STANDBY));
        Operation rejoin = new Operation.Rejoin("primary", "standby1", "primary");
        assertFalse(rejoin.allowed(planned), "a running node does not rejoin");
        ModelState switchedOver = new Operation.Promote("standby1").effect(
                new Operation.StopNode("primary", false).effect(planned, Outcome.ok()), Outcome.ok());
        assertTrue(rejoin.allowed(switchedOver));
        assertFalse(new Operation.Rejoin("primary", "primary", "primary").allowed(switchedOver), "not its own standby");
        ModelState rejoined = rejoin.effect(switchedOver, Outcome.ok());
        assertEquals(Role.STANDBY, rejoined.node("primary").orElseThrow().role());
        assertEquals(NodeStatus.RUNNING, rejoined.node("primary").orElseThrow().status());
        assertTrue(rejoin.restarts("primary"));
    }

    @Test
    void unknownStandbySlotsAreRefusedBefore17_7AndAcceptedSince() {
        ModelState state = pairWithSyncedSlot();
        Operation missing = new Operation.SetSetting("primary", "synchronized_standby_slots", "standby1, no_such_slot");
        assertEquals(new Expected.FailsWith(Message.INVALID_STANDBY_SLOTS_VALUE),
                missing.expect(state, VersionProfile.of("PostgreSQL 17.6 on x")));
        assertEquals(new Expected.FailsWith(Message.INVALID_STANDBY_SLOTS_VALUE),
                missing.expect(state, VersionProfile.of("PostgreSQL 18.0 on x")));
        assertTrue(missing.expect(state, VersionProfile.of("PostgreSQL 17.7 on x")) instanceof Expected.Succeeds);
        assertTrue(missing.expect(state, VersionProfile.of("PostgreSQL 18.1 on x")) instanceof Expected.Succeeds);
        assertEquals(Expected.UNPREDICTED, new Operation.SetSetting("primary", "synchronized_standby_slots", "standby1").expect(state, PROFILE),
                "an existing physical slot is fine in every version");
    }

    @Test
    void theBarrierHoldsBackFailoverSlotsOnly() {
        ModelState state = ModelState.after(new HistoryBuilder(PG17).ok(new Operation.Checkpoint("primary"),
                primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1")
                        .with(slot("s1"), slot("s2").noFailover(), slot("s3").noFailover().invalidated("wal_removed", false))).build().steps());
        assertTrue(new Operation.ConsumeChanges("primary", "s2", null, false).expect(state, PROFILE) instanceof Expected.Succeeds,
                "a slot without failover decodes whatever the listed standbys have");
        assertTrue(new Operation.ConsumeChanges("primary", "s2", null, true).expect(state, PROFILE) instanceof Expected.Succeeds);
        assertEquals(Expected.UNPREDICTED, new Operation.ConsumeChanges("primary", "s1", null, false).expect(state, PROFILE),
                "a failover slot waits for them, maybe for ever");
        assertEquals(Expected.UNPREDICTED, new Operation.ConsumeChanges("primary", "s3", null, false).expect(state, PROFILE));
    }

    @Test
    void aCopyIsRefusedInTheOrderCopyReplicationSlotChecks() {
        ModelState state = ModelState.after(new HistoryBuilder(PG17).ok(new Operation.Checkpoint("primary"),
                primary("primary", PRIMARY_PORT).with(slot("s1").invalidated("idle_timeout", false), slot("s2"),
                        slot("gone").invalidated("wal_removed", false).restart(null)),
                standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "on").with(slot("s1").synced(), slot("own")),
                standby("standby2", 5434, PRIMARY_PORT).with(slot("s1").synced().invalidated("rows_removed", true))).build().steps());
        VersionProfile before = VersionProfile.of("PostgreSQL 17.4 on x");
        VersionProfile after = VersionProfile.of("PostgreSQL 17.5 on x");
        assertEquals(new Expected.FailsWith(Message.SLOT_DOES_NOT_EXIST), new Operation.CopyLogicalSlot("primary", "s9", "s3").expect(state, after));
        assertEquals(new Expected.FailsWith(Message.COPY_PHYSICAL_AS_LOGICAL), new Operation.CopyLogicalSlot("primary", "standby1", "s3").expect(state, after));
        assertEquals(new Expected.FailsWith(Message.COPY_INVALIDATED_SLOT), new Operation.CopyLogicalSlot("primary", "s1", "s2").expect(state, after),
                "the source is checked before the name is taken");
        assertEquals(Expected.UNPREDICTED, new Operation.CopyLogicalSlot("primary", "s1", "s3").expect(state, before), "before 17.5 it was copied");
        assertEquals(new Expected.FailsWith(Message.COPY_WITHOUT_RESERVED_WAL), new Operation.CopyLogicalSlot("primary", "gone", "s3").expect(state, after),
                "invalidated wal_removed, a slot has no restart_lsn, which is checked first");
        assertEquals(new Expected.FailsWith(Message.SLOT_ALREADY_EXISTS), new Operation.CopyLogicalSlot("primary", "s2", "s2").expect(state, after));
        assertEquals(Expected.UNPREDICTED, new Operation.CopyLogicalSlot("standby1", "s9", "s3").expect(state, after),
                "on a standby with the worker on the synchronizer may have made the source meanwhile");
        assertEquals(new Expected.FailsWith(Message.COPY_INVALIDATED_SLOT), new Operation.CopyLogicalSlot("standby2", "s1", "s3").expect(state, after),
                "with no worker a copy invalidated on its standby stays so");
        assertEquals(Expected.UNPREDICTED, new Operation.CopyLogicalSlot("standby1", "own", "s1").expect(state, after),
                "nor may a synced copy in the way still be there");
        assertEquals(new Expected.FailsWith(Message.SLOT_ALREADY_EXISTS), new Operation.CopyLogicalSlot("standby1", "own", "own").expect(state, after));
    }

    @Test
    void from19TheSyncNeedsLogicalDecodingOnThePrimaryNotTheStandbysWalLevel() {
        // 19 shows effective_wal_level, in recovery the primary's (xlog.c show_effective_wal_level()), and checks it first
        assertEquals(Message.SYNC_NEEDS_LOGICAL_DECODING_ON_PRIMARY, SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "logical", "effective_wal_level", "replica", "hot_standby_feedback", "off")).orElseThrow());
        assertEquals(Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK, SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "replica", "effective_wal_level", "logical", "primary_slot_name", "sb", "hot_standby_feedback", "off")).orElseThrow(),
                "the standby's own wal_level replica is no reason to refuse in 19");
        assertTrue(VersionProfile.of("PostgreSQL 19.0 on x").syncNeedsLogicalDecodingOnThePrimary());
        assertFalse(VersionProfile.of("PostgreSQL 18.7 on x").syncNeedsLogicalDecodingOnThePrimary());
    }

    @Test
    void syncSettingsAreCheckedInTheServersOrder() {
        assertEquals(Message.SYNC_NEEDS_WAL_LEVEL, SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "replica", "hot_standby_feedback", "off")).orElseThrow());
        assertEquals(Message.SYNC_NEEDS_PRIMARY_SLOT_NAME, SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "logical", "hot_standby_feedback", "off")).orElseThrow());
        assertEquals(Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK, SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "logical", "primary_slot_name", "sb", "hot_standby_feedback", "off")).orElseThrow());
        assertEquals(Message.SYNC_NEEDS_PRIMARY_CONNINFO, SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "logical", "primary_slot_name", "sb", "hot_standby_feedback", "on")).orElseThrow());
        assertEquals(Message.SYNC_NEEDS_DBNAME, SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "logical", "primary_slot_name", "sb", "hot_standby_feedback", "on",
                "primary_conninfo", "host=x port=5432 user=postgres")).orElseThrow());
        assertTrue(SlotSync.parameterProblem(java.util.Map.of(
                "wal_level", "logical", "primary_slot_name", "sb", "hot_standby_feedback", "on",
                "primary_conninfo", "host=x dbname=postgres")).isEmpty());
    }

    @Test
    void alteringAPhysicalSlotOrTurningOnFailoverOfAStandbysOwnSlotIsRefused() {
        ModelState state = ModelState.after(new HistoryBuilder(PG17)
                .ok(new Operation.Checkpoint("primary"), primary("primary", PRIMARY_PORT).with(slot("s"), slot("p1").physical()),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced(), slot("own1").noFailover(),
                                slot("gone").noFailover().invalidated("wal_removed", false)))
                .build().steps());
        assertEquals(new Expected.FailsWith(Message.ALTER_PHYSICAL_SLOT, Message.CANCELED_BY_CLIENT),
                new Operation.AlterSlotFailover("primary", "p1", false).expect(state, PROFILE), "§1 item 10, whichever way");
        assertEquals(new Expected.FailsWith(Message.FAILOVER_ALTERED_ON_STANDBY, Message.CANCELED_BY_CLIENT),
                new Operation.AlterSlotFailover("standby1", "own1", true).expect(state, PROFILE), "§1 item 9");
        assertEquals(Expected.UNPREDICTED, new Operation.AlterSlotFailover("standby1", "own1", false).expect(state, PROFILE),
                "turning it off is allowed");
        assertEquals(new Expected.FailsWith(Message.SYNCED_SLOT_ALTER, Message.CANCELED_BY_CLIENT),
                new Operation.AlterSlotFailover("standby1", "s", true).expect(state, PROFILE), "a synced copy is refused as such first");
        assertEquals(new Expected.FailsWith(Message.SLOT_INVALIDATED_ACCESS, Message.CANCELED_BY_CLIENT),
                new Operation.AlterSlotFailover("standby1", "gone", true).expect(state, VersionProfile.of(PG18)),
                "18 refuses an invalidated slot when it acquires it");
        assertEquals(new Expected.FailsWith(Message.FAILOVER_ALTERED_ON_STANDBY, Message.CANCELED_BY_CLIENT),
                new Operation.AlterSlotFailover("standby1", "gone", true).expect(state, PROFILE), "17 does not look at invalidation there");
    }
}
