package io.slotcheck.scenarios;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.slotcheck.scenarios.Expect.assertEquals;
import static io.slotcheck.scenarios.Expect.assertFalse;
import static io.slotcheck.scenarios.Expect.assertInstanceOf;
import static io.slotcheck.scenarios.Expect.assertTrue;

/**
 * The documented flow of the pg_failover_slots extension (its README), for servers whose standbys' copies it keeps
 * (PostgreSQL 16 and earlier, or 17 and later given {@code --slot-sync pg_failover_slots}): a copy made and made ready,
 * only the slots {@code synchronize_slot_names} names, the {@code standby_slot_names} barrier, and a promotion.
 */
final class PgFailoverSlotsScenarios {

    private static final String PRIMARY = "primary";
    private static final String STANDBY = "standby1";
    private static final String SLOT = "s1";
    private static final String OTHER_SLOT = "s2";
    private static final int WAIT_SECONDS = 30;
    private static final NamedScenario.Versions WITH_THE_EXTENSION = new NamedScenario.Versions(
            "servers whose standbys' copies the pg_failover_slots extension keeps", VersionProfile::syncsWithPgFailoverSlots);

    private PgFailoverSlotsScenarios() {
    }

    static List<NamedScenario> catalogue() {
        return List.of(readyCopy(), onlyNamedSlots(), barrier(), promotion());
    }

    private static NamedScenario readyCopy() {
        List<Operation> operations = readyCopyOf(SLOT);
        int ready = operations.size();
        operations.addAll(List.of(
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.ConsumeChanges(PRIMARY, SLOT, null, false),
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                new Operation.AwaitConvergence(STANDBY, PgFailoverSlots.CATCH_UP_SECONDS)));
        return new NamedScenario("pg-failover-slots-ready-copy", "pg_failover_slots: a ready copy",
                "the worker copies a logical slot at once, keeps it active until the primary's slot has passed what the copy"
                        + " reserved, then inactive (ready), and moves it on as the slot is consumed",
                List.of("field-failures §4.2", "field failure 8"),
                WITH_THE_EXTENSION, operations,
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(ready).outcome(), "the copy became ready (inactive)");
                    SlotRow first = run.step(ready).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    SlotRow copy = run.slot(STANDBY, SLOT);
                    assertFalse(copy.active(), "the copy is ready at the end: " + copy);
                    assertTrue(copy.restartLsn().isAfter(first.restartLsn()) || copy.confirmedFlushLsn().isAfter(first.confirmedFlushLsn()),
                            "the worker moved the copy on: " + first + " then " + copy);
                    run.assertExercised("pg-failover-slots-copy-within-standby-flush", "pg-failover-slots-copy-not-ahead-of-primary",
                            "pg-failover-slots-copy-never-moves-back", "pg-failover-slots-worker-copies-every-named-slot");
                });
    }

    private static NamedScenario onlyNamedSlots() {
        return new NamedScenario("pg-failover-slots-named-slots", "pg_failover_slots: only the named slots",
                "with synchronize_slot_names = 'name:s1' only s1 gets a copy; once s1 is dropped on the primary, its copy is dropped"
                        + " too (drop_extra_slots)",
                List.of("field-failures §4.1", "field-failures §4.3"),
                WITH_THE_EXTENSION,
                List.of(new Operation.SetSetting(STANDBY, PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, "name:" + SLOT),
                        new Operation.CreateLogicalSlot(PRIMARY, SLOT, "test_decoding", false, false, false),
                        new Operation.CreateLogicalSlot(PRIMARY, OTHER_SLOT, "test_decoding", false, false, false),
                        new Operation.AwaitConvergence(STANDBY, PgFailoverSlots.CATCH_UP_SECONDS),
                        new Operation.DropSlot(PRIMARY, SLOT),
                        new Operation.AwaitConvergence(STANDBY, PgFailoverSlots.CATCH_UP_SECONDS)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(4).outcome(), "the worker copied the named slot");
                    var copied = run.step(4).observation(STANDBY).orElseThrow();
                    assertTrue(copied.slot(SLOT).isPresent(), "s1 has a copy: " + copied.slots());
                    assertFalse(copied.slot(OTHER_SLOT).isPresent(), "s2, not named, has none: " + copied.slots());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the worker caught up after the drop");
                    assertFalse(run.lastStep().observation(STANDBY).orElseThrow().slot(SLOT).isPresent(), "the copy of the dropped s1 is gone");
                    run.assertExercised("pg-failover-slots-copies-only-of-named-slots", "pg-failover-slots-worker-copies-every-named-slot");
                });
    }

    private static NamedScenario barrier() {
        return new NamedScenario("pg-failover-slots-barrier", "pg_failover_slots: the standby barrier",
                "with standby_slot_names naming the standby's slot, a walsender sends nothing the stopped standby has not flushed,"
                        + " and goes on once it is back; SQL decoding is not held",
                List.of("field-failures §4.1", "field-failures §4.3", "field failure 9"),
                WITH_THE_EXTENSION,
                List.of(new Operation.SetSetting(PRIMARY, PgFailoverSlots.STANDBY_SLOT_NAMES, STANDBY),
                        new Operation.CreateLogicalSlot(PRIMARY, SLOT, "test_decoding", false, false, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.Acknowledge(PRIMARY, SLOT, false),
                        new Operation.StopNode(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.Acknowledge(PRIMARY, SLOT, false),
                        new Operation.StartNode(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.Acknowledge(PRIMARY, SLOT, false),
                        new Operation.StopNode(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.ConsumeChanges(PRIMARY, SLOT, null, false)),
                run -> {
                    SlotRow beforeHeld = run.step(7).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    SlotRow held = run.step(8).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    SlotRow standbySlot = run.step(8).observation(PRIMARY).orElseThrow().slot(STANDBY).orElseThrow();
                    assertFalse(held.confirmedFlushLsn().isAfter(standbySlot.restartLsn()),
                            "the walsender sent nothing past what the stopped standby flushed: " + held + " / " + standbySlot);
                    assertEquals(beforeHeld.confirmedFlushLsn(), held.confirmedFlushLsn(), "the consumer got no transaction while the standby was down");
                    SlotRow released = run.step(11).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(released.confirmedFlushLsn().isAfter(held.confirmedFlushLsn()), "released once the standby was back: " + released);
                    SlotRow sql = run.slot(PRIMARY, SLOT);
                    SlotRow standbyAtTheEnd = run.lastStep().observation(PRIMARY).orElseThrow().slot(STANDBY).orElseThrow();
                    assertTrue(sql.confirmedFlushLsn().isAfter(standbyAtTheEnd.restartLsn()),
                            "SQL decoding is not held: " + sql + " / " + standbyAtTheEnd);
                    run.assertExercised("pg-failover-slots-barrier-holds-walsenders");
                });
    }

    private static NamedScenario promotion() {
        List<Operation> operations = readyCopyOf(SLOT);
        operations.addAll(List.of(
                new Operation.WriteTransactions(PRIMARY, 3, false),
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                new Operation.StopNode(PRIMARY, true),
                new Operation.Promote(STANDBY),
                new Operation.ConsumeChanges(STANDBY, SLOT, null, false)));
        return new NamedScenario("pg-failover-slots-promotion", "pg_failover_slots: promotion",
                "after the primary's immediate stop, the promoted standby's ready copy decodes the changes its consumer had not confirmed",
                List.of("field-failures §4.3", "field failure 8"),
                WITH_THE_EXTENSION, operations,
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the promoted copy decodes");
                    Optional<SlotRow> promoted = run.step(run.history().steps().size() - 1).observation(STANDBY).orElseThrow().slot(SLOT);
                    assertTrue(promoted.isPresent(), "the ready copy is a slot of the promoted server");
                    assertTrue(run.slot(STANDBY, SLOT).confirmedFlushLsn().isAfter(promoted.get().confirmedFlushLsn()),
                            "decoding on the promoted server moved it on: " + run.slot(STANDBY, SLOT));
                    run.assertExercised("pg-failover-slots-ready-copy-survives-promotion");
                });
    }

    /**
     * A logical slot on the primary and a ready copy of it: the worker copies it at the next cycle and holds the copy
     * until the primary's slot has moved past what the copy reserved, which needs the slot consumed past a
     * running-transactions record twice (the first sets the candidate restart point, the second reaches it).
     */
    private static List<Operation> readyCopyOf(String slot) {
        return new ArrayList<>(List.of(
                new Operation.CreateLogicalSlot(PRIMARY, slot, "test_decoding", false, false, false),
                new Operation.AwaitConvergence(STANDBY, PgFailoverSlots.CATCH_UP_SECONDS),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.LogStandbySnapshot(PRIMARY),
                new Operation.ConsumeChanges(PRIMARY, slot, null, false),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.LogStandbySnapshot(PRIMARY),
                new Operation.ConsumeChanges(PRIMARY, slot, null, false),
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                new Operation.AwaitFailoverReady(STANDBY, slot, WAIT_SECONDS)));
    }
}
