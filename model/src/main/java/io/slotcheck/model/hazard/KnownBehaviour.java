package io.slotcheck.model.hazard;

import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.StandbyFeedback;
import io.slotcheck.model.invariant.SubscriberData;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.MessageTemplate;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What PostgreSQL does by design that users of HA tools report as failures ({@code spec/field-failures.md} §3.4): the
 * server conforms, yet failover protection is lost. A history that shows one conforms; reports still flag it, with the
 * threads where users met it.
 */
public enum KnownBehaviour {

    /** Field failure 1: the worker (or a manual sync) stops at a same-name slot that is not a synced copy. */
    LEFTOVER_SLOT_BLOCKS_SYNC("A slot of the same name that is not a synced copy (a demoted primary's leftover failover slot)"
            + " stops slot synchronization on this standby: nothing syncs until it is dropped",
            List.of("https://github.com/cloudnative-pg/cloudnative-pg/issues/9969",
                    "https://github.com/hapostgres/pg_auto_failover/issues/1188",
                    "https://github.com/patroni/patroni/pull/3493",
                    "https://github.com/multigres/multigres/pull/1402"), Message.SYNC_SAME_NAME_EXISTS),

    /**
     * Found by slotcheck's campaigns: after the primary crashed, a failover slot came back at its last checkpointed
     * position, behind its persistent copy on the standby; every sync cycle then ends with an error at that copy, and no
     * slot syncs until the primary's slot passes it.
     */
    COPY_AHEAD_OF_RECOVERED_SLOT_STOPS_SYNC("A synced copy is ahead of its slot, which the primary's crash sent back to its last"
            + " checkpointed position: every sync cycle ends with \"cannot synchronize local slot\", and no slot syncs to this"
            + " standby until the primary's slot moves past the copy",
            List.of("https://github.com/postgres/postgres/blob/REL_17_STABLE/src/backend/replication/logical/slotsync.c",
                    "https://www.postgresql.org/docs/17/logical-replication-failover.html"), Message.SYNC_LOCAL_SLOT_AHEAD),

    /**
     * Found by slotcheck's campaigns: the feedback horizon a standby sets in its physical slot on the primary is only
     * marked dirty there (walsender.c PhysicalReplicationSlotNewXmin()), so a primary that crashes restarts with the slot
     * as last checkpointed. Until the standby streams and sends feedback again, a catalog VACUUM may remove rows its
     * copies need, and a copy is invalidated although feedback was on throughout.
     */
    FEEDBACK_HORIZON_LOST_IN_A_PRIMARY_CRASH("A synced copy was invalidated for removed rows although its standby had"
            + " hot_standby_feedback on through a physical slot throughout: its primary had crashed, and restarted with that slot's"
            + " horizon as last checkpointed, without what the feedback had set since; the copy is not failover-ready until a"
            + " sync re-creates it",
            List.of("https://github.com/postgres/postgres/blob/REL_17_STABLE/src/backend/replication/walsender.c",
                    "https://www.postgresql.org/docs/17/runtime-config-replication.html#GUC-HOT-STANDBY-FEEDBACK")) {
        @Override
        boolean showsAt(List<Step> steps, int index, VersionProfile profile) {
            return steps.get(index).observations().values().stream()
                    .filter(standby -> standby.inRecovery() && StandbyFeedback.heldThroughout(steps, index, standby.node()))
                    .anyMatch(standby -> {
                        Optional<NodeSnapshot> primary = lastSeenUpstream(steps, index, standby);
                        boolean crashed = primary.isPresent() && steps.subList(0, index + 1).stream()
                                .anyMatch(step -> step.operation().crashes(primary.get().node()));
                        return crashed && standby.slots().stream().anyMatch(copy -> StandbyFeedback.rowsRemovedFromUnderIt(copy, primary)
                                && !wasRemovedFromUnderItBefore(steps, index, standby.node(), copy.slotName()));
                    });
        }
    },

    /** Field failure 2: an HA tool wrote {@code primary_conninfo} without {@code dbname}. */
    CONNINFO_WITHOUT_DBNAME("primary_conninfo has no dbname, so slots cannot be synchronized to this standby",
            List.of("https://github.com/cloudnative-pg/cloudnative-pg/issues/5917",
                    "https://github.com/EnterpriseDB/repmgr/issues/903",
                    "https://github.com/EnterpriseDB/repmgr/issues/880"), Message.SYNC_NEEDS_DBNAME),

    /**
     * Field failure 3 (an empty synchronized_standby_slots silently removes protection) as the rows show it: a subscriber
     * received transactions from a primary that its standby had not flushed, so after the failover it has rows the new
     * primary lacks.
     */
    SUBSCRIBER_AHEAD_OF_NEW_PRIMARY("A subscriber has transactions its publisher lacks: a primary the failover left behind sent"
            + " them before the promoted standby had them, since synchronized_standby_slots did not hold them back; its replication"
            + " origin is past what the new primary writes next, so the subscriber skips that too",
            List.of("https://www.postgresql.org/docs/17/logical-replication-failover.html",
                    "https://github.com/timescale/timescaledb-docker-ha/pull/676",
                    "https://github.com/cloudnative-pg/cloudnative-pg/issues/7454",
                    "https://github.com/patroni/patroni/pull/3527")) {
        @Override
        boolean showsAt(List<Step> steps, int index, VersionProfile profile) {
            return SubscriberData.caughtUpAt(steps.get(index)).filter(data -> !data.extra().isEmpty()).isPresent();
        }
    },

    /**
     * Field failure 8: a standby promoted without a failover-ready copy of a failover slot its primary had (none yet, or
     * one still temporary): the slot is lost at the failover.
     */
    PROMOTED_BEFORE_SYNC_READY("A standby was promoted without a failover-ready copy (synced, persistent, valid) of a failover"
            + " slot its primary had: the slot is lost at the failover, and its consumer cannot continue on the new primary",
            List.of("https://www.postgresql.org/docs/17/logical-replication-failover.html",
                    "https://github.com/EnterpriseDB/pg_failover_slots/issues/56")) {
        @Override
        boolean showsAt(List<Step> steps, int index, VersionProfile profile) {
            if (!profile.hasFailoverSlots() || !(steps.get(index).operation() instanceof Operation.Promote promote)
                    || !(steps.get(index).outcome() instanceof Outcome.Ok)) {
                return false;
            }
            // the last step before the promotion that saw the standby and the primary it followed
            for (int i = index - 1; i >= 0; i--) {
                Step earlier = steps.get(i);
                Optional<NodeSnapshot> standby = earlier.observation(promote.node()).filter(NodeSnapshot::inRecovery);
                Optional<NodeSnapshot> primary = earlier.observations().values().stream().filter(node -> !node.inRecovery() && standby
                        .filter(followed -> node.reachedAt(followed.upstreamHost().orElse(null), followed.upstreamPort().orElse(null))).isPresent())
                        .findFirst();
                if (standby.isPresent() && primary.isPresent()) {
                    return primary.get().slots().stream()
                            .filter(slot -> slot.isLogical() && slot.isFailover() && !slot.temporary() && slot.invalidationReason() == null)
                            .anyMatch(slot -> standby.get().slot(slot.slotName()).filter(SlotRow::isFailoverReady).isEmpty());
                }
            }
            return false;
        }
    },

    /**
     * Field failure 7, for the pg_failover_slots extension: its worker makes one copy at a time and waits until the
     * primary's slot has passed what that copy reserved, so while one slot is not consumed, none after it gets a copy.
     */
    PG_FAILOVER_SLOTS_COPY_BEING_MADE_HOLDS_BACK_THE_OTHERS("pg_failover_slots is still making the copy of one slot, waiting for"
            + " the primary's slot to pass what the copy reserved, and meanwhile makes no copy of the other slots it names: until"
            + " that slot is consumed, they are lost at a failover",
            List.of("https://github.com/EnterpriseDB/pg_failover_slots/pull/28", "https://github.com/EnterpriseDB/pg_failover_slots/pull/31")) {
        @Override
        boolean showsAt(List<Step> steps, int index, VersionProfile profile) {
            return profile.syncsWithPgFailoverSlots() && steps.get(index).observations().values().stream().filter(NodeSnapshot::inRecovery)
                    .anyMatch(standby -> lastSeenUpstream(steps, index, standby).filter(primary -> !primary.inRecovery())
                            .filter(primary -> PgFailoverSlots.copyBeingMade(standby, primary).isPresent()
                                    && !PgFailoverSlots.missingCopies(standby, primary).isEmpty()).isPresent());
        }
    },

    /** Field failure 8, for the pg_failover_slots extension: a standby promoted while a copy was still being made loses it. */
    PG_FAILOVER_SLOTS_PROMOTED_WITH_A_COPY_BEING_MADE("A standby was promoted while pg_failover_slots was still making the copy"
            + " of a slot (active, no confirmed_flush_lsn yet: not ready by the README's test): the slot is lost at the failover",
            List.of("https://github.com/EnterpriseDB/pg_failover_slots/issues/56", "https://github.com/EnterpriseDB/pg_failover_slots/issues/25")) {
        @Override
        boolean showsAt(List<Step> steps, int index, VersionProfile profile) {
            if (!profile.syncsWithPgFailoverSlots() || !(steps.get(index).operation() instanceof Operation.Promote promote)
                    || !(steps.get(index).outcome() instanceof Outcome.Ok)) {
                return false;
            }
            for (int i = index - 1; i >= 0; i--) {
                Optional<NodeSnapshot> standby = steps.get(i).observation(promote.node()).filter(NodeSnapshot::inRecovery);
                if (standby.isPresent()) {
                    return lastSeenUpstream(steps, i, standby.get()).filter(primary -> PgFailoverSlots.copyBeingMade(standby.get(), primary)
                            .isPresent()).isPresent();
                }
            }
            return false;
        }
    };

    /** Where a known behaviour showed in a history. */
    public record Sighting(int step, KnownBehaviour behaviour) {
    }

    private final String description;
    private final List<String> threads;
    /** The server's refusal or log line that shows it, for the behaviours a message alone shows. */
    private final Message signature;

    KnownBehaviour(String description, List<String> threads, Message signature) {
        this.description = description;
        this.threads = threads;
        this.signature = signature;
    }

    KnownBehaviour(String description, List<String> threads) {
        this(description, threads, null);
    }

    public String description() {
        return description;
    }

    /** Where users reported it, and what the PostgreSQL documentation says. */
    public List<String> threads() {
        return threads;
    }

    /**
     * Whether it showed at the step at {@code index} of {@code steps}, given the steps before it: by default, the step
     * was refused with its signature, or a server logged it.
     */
    boolean showsAt(List<Step> steps, int index, VersionProfile profile) {
        return signature != null && refusedOrLogged(steps.get(index), profile.text(signature));
    }

    /** Every step of {@code history} at which a known behaviour showed, each behaviour once per step. */
    public static List<Sighting> sightings(History history) {
        VersionProfile profile = history.profile();
        List<Sighting> sightings = new ArrayList<>();
        for (int index = 0; index < history.steps().size(); index++) {
            for (KnownBehaviour behaviour : values()) {
                if (behaviour.showsAt(history.steps(), index, profile)) {
                    sightings.add(new Sighting(history.steps().get(index).index(), behaviour));
                }
            }
        }
        return sightings;
    }

    /** The last observation, up to {@code index}, of the server {@code standby} streams from. */
    private static Optional<NodeSnapshot> lastSeenUpstream(List<Step> steps, int index, NodeSnapshot standby) {
        for (int i = index; i >= 0; i--) {
            Optional<NodeSnapshot> upstream = steps.get(i).observations().values().stream()
                    .filter(node -> node.reachedAt(standby.upstreamHost().orElse(null), standby.upstreamPort().orElse(null)))
                    .findFirst();
            if (upstream.isPresent()) {
                return upstream;
            }
        }
        return Optional.empty();
    }

    /** Whether the last observation of {@code node} before {@code index} already showed the copy {@code slot} invalidated for removed rows. */
    private static boolean wasRemovedFromUnderItBefore(List<Step> steps, int index, String node, String slot) {
        for (int i = index - 1; i >= 0; i--) {
            Optional<NodeSnapshot> earlier = steps.get(i).observation(node);
            if (earlier.isPresent()) {
                return earlier.get().slot(slot).filter(copy -> "rows_removed".equals(copy.invalidationReason())).isPresent();
            }
        }
        return false;
    }

    private static boolean refusedOrLogged(Step step, MessageTemplate text) {
        boolean refused = step.outcome() instanceof Outcome.Failed failed && text.matches(failed.message());
        return refused || step.observations().values().stream()
                .flatMap(node -> node.logLines().stream())
                .anyMatch(text::foundIn);
    }
}
