package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.operation.Expected;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.UpstreamFix;
import io.slotcheck.model.version.VersionProfile;

import java.util.List;

/** Guarantees about what operations answer: the documented errors, per version. */
final class OutcomeInvariants {

    private OutcomeInvariants() {
    }

    /** Whether the failure is one of the {@code allowed} messages, in this version's text and with its SQLSTATE. */
    private static boolean documented(StepContext step, List<Message> allowed, Outcome.Failed failed) {
        return allowed.stream().anyMatch(m -> step.profile().text(m).matches(failed.message())
                && (m.sqlState() == null || m.sqlState().equals(failed.sqlState())));
    }

    private static List<String> described(StepContext step, List<Message> messages) {
        return messages.stream().map(m -> step.profile().text(m).text() + (m.sqlState() == null ? "" : " (SQLSTATE " + m.sqlState() + ")"))
                .toList();
    }

    static Invariant documentedOutcome() {
        return new Invariant("documented-outcome", Consequence.UNDOCUMENTED_OUTCOME,
                "Operations PostgreSQL forbids fail with the documented error and its SQLSTATE (syncing on a primary or from a cascading standby,"
                        + " syncing with a missing setting, creating a failover slot on a standby or a temporary failover slot, creating or"
                        + " altering a physical slot with failover or turning failover on for a standby's own slot, altering a"
                        + " subscription's failover or two_phase while it is enabled (two_phase at all on 17),"
                        + " decoding, advancing, altering or dropping a synced slot on a standby); a copy that was sync-ready"
                        + " at promotion decodes on the new primary, a consumer held by synchronized_standby_slots goes on once a"
                        + " reload empties the list or the standby it waits for returns, and from 19 a manual sync retries while a slot"
                        + " stays ahead of its standby.",
                "§1 items 8, 9, 10, 13, 14, 18, 19, 20 and §3; slot.c WaitForStandbyConfirmation(); slotfuncs.c, slot.c ReplicationSlotCreate()/ReplicationSlotDrop()/ReplicationSlotAlter(),"
                        + " logical.c CreateDecodingContext(), slotsync.c ValidateSlotSyncParams()",
                VersionProfile::hasFailoverSlots,
                List.of(
                        Situations.refusal("create-failover-slot-on-standby", Operation.CreateLogicalSlot.class, Message.FAILOVER_SLOT_ON_STANDBY,
                                "a failover slot created on a standby (§1 item 9)"),
                        Situations.refusal("create-temporary-failover-slot", Operation.CreateLogicalSlot.class, Message.FAILOVER_TEMPORARY_SLOT,
                                "a temporary failover slot created (§1 item 10)"),
                        Situations.refusal("drop-synced-copy-on-standby", Operation.DropSlot.class, Message.SYNCED_SLOT_DROP,
                                "a synced copy dropped on its standby (§1 item 8)"),
                        Situations.refusal("alter-synced-copy-on-standby", Operation.AlterSlotFailover.class, Message.SYNCED_SLOT_ALTER,
                                "a synced copy altered on its standby (§1 item 8)"),
                        Situations.refusal("alter-a-physical-slot", Operation.AlterSlotFailover.class, Message.ALTER_PHYSICAL_SLOT,
                                "ALTER_REPLICATION_SLOT of a physical slot (§1 item 10)"),
                        Situations.refusal("create-a-physical-failover-slot", Operation.CreatePhysicalSlot.class, Message.CONFLICTING_OPTIONS,
                                "CREATE_REPLICATION_SLOT ... PHYSICAL (FAILOVER) (§1 item 10)"),
                        Situations.refusal("enable-failover-of-a-standby-slot", Operation.AlterSlotFailover.class, Message.FAILOVER_ALTERED_ON_STANDBY,
                                "failover turned on for a standby's own slot (§1 item 9)"),
                        Situations.refusal("decode-synced-copy-on-standby", Operation.ConsumeChanges.class, Message.SYNCED_SLOT_DECODING,
                                "a synced copy decoded on its standby (§1 item 8)"),
                        Situations.refusal("advance-synced-copy-on-standby", Operation.AdvanceSlot.class, Message.SYNCED_SLOT_DECODING,
                                "a synced copy advanced on its standby (§1 item 8)"),
                        Situations.refusal("stream-synced-copy-on-standby", Operation.Acknowledge.class, Message.SYNCED_SLOT_DECODING,
                                "a synced copy streamed over the replication protocol on its standby (§1 item 8)"),
                        Situations.refusal("sync-on-primary", Operation.SyncSlots.class, Message.SYNC_ON_PRIMARY,
                                "pg_sync_replication_slots() on a primary (§1 item 20)"),
                        Situations.refusal("sync-from-cascading-standby", Operation.SyncSlots.class, Message.SYNC_FROM_STANDBY,
                                "pg_sync_replication_slots() on a standby of a standby (§1 item 20)"),
                        Situations.refusal("sync-without-hot-standby-feedback", Operation.SyncSlots.class, Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK,
                                "pg_sync_replication_slots() with hot_standby_feedback off (§3)"),
                        Situations.refusal("sync-without-dbname", Operation.SyncSlots.class, Message.SYNC_NEEDS_DBNAME,
                                "pg_sync_replication_slots() with a primary_conninfo without dbname (§3)"),
                        Situations.refusal("sync-without-wal-level-logical", Operation.SyncSlots.class, Message.SYNC_NEEDS_WAL_LEVEL,
                                "pg_sync_replication_slots() on a standby whose wal_level is below logical (§3)",
                                profile -> !profile.syncNeedsLogicalDecodingOnThePrimary()),
                        Situations.refusal("sync-without-logical-decoding-on-the-primary", Operation.SyncSlots.class,
                                Message.SYNC_NEEDS_LOGICAL_DECODING_ON_PRIMARY,
                                "pg_sync_replication_slots() while the primary has logical decoding off (19: wal_level replica, no logical slot; §3)",
                                VersionProfile::syncNeedsLogicalDecodingOnThePrimary),
                        Situations.refusal("sync-without-primary-slot-name", Operation.SyncSlots.class, Message.SYNC_NEEDS_PRIMARY_SLOT_NAME,
                                "pg_sync_replication_slots() on a standby without primary_slot_name (§3)"),
                        Situations.refusal("sync-without-primary-conninfo", Operation.SyncSlots.class, Message.SYNC_NEEDS_PRIMARY_CONNINFO,
                                "pg_sync_replication_slots() on a standby without primary_conninfo (§3)"),
                        Situations.refusal("sync-with-primary-slot-missing", Operation.SyncSlots.class, Message.SYNC_PRIMARY_SLOT_MISSING,
                                "pg_sync_replication_slots() while the primary lacks the physical slot primary_slot_name names (§1 item 20)"),
                        Situations.refusal("sync-with-same-name-slot-in-the-way", Operation.SyncSlots.class, Message.SYNC_SAME_NAME_EXISTS,
                                "pg_sync_replication_slots() while a slot of the standby, not synced, is named like a failover slot (§1 item 11)"),
                        Situations.refusal("sync-refused-while-standby-behind", Operation.SyncSlots.class, Message.SYNC_LSN_AHEAD,
                                "pg_sync_replication_slots() while the standby's walreceiver is stopped behind a failover slot (§1 item 3)",
                                VersionProfile::refusesManualSyncAheadOfStandby),
                        Situations.refusal("sync-retrying-while-standby-behind", Operation.SyncSlots.class, Message.CANCELED_BY_CLIENT,
                                "pg_sync_replication_slots() while the standby's walreceiver is stopped behind a failover slot: from 19 it"
                                        + " retries until cancelled (§1 item 3, §5.3)",
                                VersionProfile::manualSyncRetriesUntilReady),
                        Situations.nonFailoverSlotConsumedPastTheBarrier(),
                        Situations.refusal("copy-of-a-slot-without-wal", Operation.CopyLogicalSlot.class, Message.COPY_WITHOUT_RESERVED_WAL,
                                "pg_copy_logical_replication_slot() of a slot that reserves no WAL, as one invalidated wal_removed (§1 item 24)"),
                        Situations.refusal("copy-of-an-invalidated-slot", Operation.CopyLogicalSlot.class, Message.COPY_INVALIDATED_SLOT,
                                "pg_copy_logical_replication_slot() of an invalidated slot, refused from 17.5 and 18.0 (§1 item 24)",
                                profile -> profile.has(UpstreamFix.COPY_OF_INVALIDATED_SLOT_REFUSED)),
                        Situations.refusal("standby-slots-naming-no-physical-slot", Operation.SetSetting.class, Message.INVALID_STANDBY_SLOTS_VALUE,
                                "synchronized_standby_slots set to a name that is no physical slot, refused before 17.7 and 18.1 (§3)",
                                profile -> !profile.acceptsUnknownStandbySlots()),
                        Situations.refusal("alter-subscription-failover-while-enabled", Operation.AlterSubscriptionFailover.class,
                                Message.SUBSCRIPTION_OPTION_WHILE_ENABLED, "ALTER SUBSCRIPTION ... SET (failover) of an enabled subscription (§2 O12)"),
                        Situations.refusal("alter-subscription-two-phase-while-enabled", Operation.AlterSubscriptionTwoPhase.class,
                                Message.SUBSCRIPTION_OPTION_WHILE_ENABLED, "ALTER SUBSCRIPTION ... SET (two_phase) of an enabled subscription"
                                        + " (§2 O13, 18 and later)", VersionProfile::altersSubscriptionTwoPhase),
                        Situations.refusal("alter-subscription-two-phase-on-17", Operation.AlterSubscriptionTwoPhase.class,
                                Message.SUBSCRIPTION_PARAMETER_UNRECOGNIZED, "ALTER SUBSCRIPTION ... SET (two_phase), which 17 does not know (§5.1)",
                                profile -> !profile.altersSubscriptionTwoPhase()),
                        Situations.decodingAPromotedCopy(),
                        Situations.heldConsumerReleasedByAReload(),
                        Situations.heldConsumerReleasedByItsStandby()),
                step -> {
                    Findings findings = new Findings();
                    Outcome outcome = step.step().outcome();
                    boolean observedBefore = step.before(step.operation().node()).isPresent();
                    if (outcome instanceof Outcome.Unknown || !observedBefore) {
                        return findings.verdict();
                    }
                    Expected expected = step.operation().expect(step.stateBefore(), step.profile());
                    String operation = step.operation().toString();
                    if (expected instanceof Expected.FailsWith fails) {
                        List<String> texts = described(step, fails.anyOf());
                        if (outcome instanceof Outcome.Failed failed) {
                            findings.require(documented(step, fails.anyOf(), failed),
                                    () -> operation + " failed with '" + failed.message() + "' (SQLSTATE " + failed.sqlState()
                                            + ") instead of the documented " + texts,
                                    () -> List.of(step.operation().node() + ": " + failed.message()));
                        } else {
                            findings.require(false,
                                    () -> operation + " succeeded although " + step.profile().version() + " must refuse it with " + texts,
                                    () -> List.of(step.operation().node() + ": succeeded"));
                        }
                    } else if (expected instanceof Expected.Succeeds succeeds) {
                        findings.require(!(outcome instanceof Outcome.Failed failed) || documented(step, succeeds.tolerated(), failed),
                                () -> operation + " failed with '" + ((Outcome.Failed) outcome).message() + "' although " + succeeds.why(),
                                () -> List.of(step.operation().node() + ": " + ((Outcome.Failed) outcome).message()));
                    }
                    return findings.verdict();
                });
    }

    static Invariant syncFindsThePrimarySlotThatExists() {
        return new Invariant("sync-finds-the-primary-slot-that-exists", Consequence.FAILOVER_UNUSABLE,
                "A synchronizer asks the primary whether primary_slot_name is one of its physical slots with a query no object of the"
                        + " connecting role can change (names schema-qualified, search_path emptied on connecting): while the primary"
                        + " has that slot, pg_sync_replication_slots() never fails with \"replication slot ... specified by"
                        + " primary_slot_name does not exist on primary server\", whoever primary_conninfo connects as and whatever"
                        + " that role planted on its search_path.",
                "§3 (primary_slot_name); slotsync.c validate_remote_info(); libpqwalreceiver.c libpqrcv_connect()"
                        + " (ALWAYS_SECURE_SEARCH_PATH_SQL); 040_standby_failover_slots_sync.pl",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncAsARoleWithAPlantedOperator()),
                step -> {
                    Findings findings = new Findings();
                    Situations.upstreamSlotThroughTheSync(step).ifPresent(primarySlot -> {
                        Outcome outcome = step.step().outcome();
                        findings.require(!(outcome instanceof Outcome.Failed failed && documented(step, List.of(Message.SYNC_PRIMARY_SLOT_MISSING), failed)),
                                () -> step.operation() + " said primary_slot_name's slot " + primarySlot + " does not exist on the primary,"
                                        + " which had it as a physical slot before and after the call",
                                () -> List.of(step.operation().node() + ": " + ((Outcome.Failed) outcome).message(),
                                        "the primary: physical slot " + primarySlot + " before and after"));
                    });
                    return findings.verdict();
                });
    }

    /** What a manual sync may fail with before it asks for the synchronizer's place (slotfuncs.c pg_sync_replication_slots()). */
    private static final List<Message> BEFORE_THE_SYNCHRONIZERS_PLACE = List.of(Message.SYNC_CONCURRENTLY, Message.SYNC_CANNOT_CONNECT,
            Message.SYNC_NEEDS_WAL_LEVEL, Message.SYNC_NEEDS_LOGICAL_DECODING_ON_PRIMARY, Message.SYNC_NEEDS_PRIMARY_SLOT_NAME,
            Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK, Message.SYNC_NEEDS_PRIMARY_CONNINFO, Message.SYNC_NEEDS_DBNAME);

    static Invariant oneSynchronizerAtATime() {
        return new Invariant("one-synchronizer-at-a-time", Consequence.UNDOCUMENTED_OUTCOME,
                "While the slot sync worker runs, pg_sync_replication_slots() on its standby is refused with \"cannot synchronize"
                        + " replication slots concurrently\": the worker holds the synchronizer's place for its whole life, so two"
                        + " synchronizers never race on one copy. Only the checks before that place (settings, the connection) may"
                        + " refuse it otherwise.",
                "§1 item 19; slotsync.c check_and_set_sync_info(), ReplSlotSyncWorkerMain(), SyncReplicationSlots()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.manualSyncWhileTheWorkerRuns()),
                step -> {
                    Findings findings = new Findings();
                    Situations.workerRunningThrough(step).ifPresent(worker -> {
                        Outcome outcome = step.step().outcome();
                        findings.require(outcome instanceof Outcome.Unknown
                                        || outcome instanceof Outcome.Failed failed && documented(step, BEFORE_THE_SYNCHRONIZERS_PLACE, failed),
                                () -> step.operation() + (outcome instanceof Outcome.Failed failed ? " failed with '" + failed.message() + "'"
                                        : " succeeded") + " while the slot sync worker (pid " + worker + ") ran, instead of being refused with "
                                        + described(step, List.of(Message.SYNC_CONCURRENTLY)),
                                () -> List.of(step.operation().node() + ": slot sync worker pid " + worker + " before and after the call"));
                    });
                    return findings.verdict();
                });
    }
}
