package io.slotcheck.model.invariant;

import java.util.List;

/** The invariant catalogue: every guarantee the checker holds a history to. */
public final class Invariants {

    private static final List<Invariant> ALL = List.of(
            SlotInvariants.syncedConfirmedFlushWithinStandbyFlush(),
            SlotInvariants.syncedCopiesOnlyOfPersistentFailoverSlots(),
            SlotInvariants.syncedPositionsNeverRetreat(),
            SlotInvariants.primaryConfirmedFlushNeverRetreats(),
            SlotInvariants.noTemporarySyncedSlotOutOfRecovery(),
            SlotInvariants.syncedCopyNotAheadOfPrimary(),
            SlotInvariants.syncedSlotsAreFailoverLogicalSlots(),
            SlotInvariants.conflictingFollowsInvalidationReason(),
            SlotInvariants.twoPhaseAtWithinConfirmedFlush(),
            SlotInvariants.noRowsRemovedWhileFeedbackHolds(),
            SlotInvariants.physicalSlotHoldsTheCopiesCatalogXmin(),
            SlotInvariants.invalidationPropagates(),
            SlotInvariants.syncedCopyTimesOutOnlyWithItsSlot(),
            SlotInvariants.skipReasonSaysWhyACopyWaits(),
            SlotInvariants.persistentCopyCatchesUpInACycle(),
            SlotInvariants.workerConvergesWhenQuiet(),
            SlotInvariants.standbyBarrierHoldsBackFailoverConsumers(),
            SlotInvariants.subscriptionFailoverReachesItsSlot(),
            SlotInvariants.syncedCopyMirrorsItsSlot(),
            SlotInvariants.manualSyncLeavesNoTemporaryCopy(),
            SlotInvariants.inactiveSinceFollowsUse(),
            SlotInvariants.copiedSlotNeverFailsOver(),
            SlotInvariants.droppedDatabaseTakesItsSlots(),
            LogInvariants.syncLogsCopiesMadeReadyAndDropped(),
            LogInvariants.barrierWarnsOfTheSlotItWaitsFor(),
            LogInvariants.syncWorkerLogsItsStartAndStop(),
            LogInvariants.syncWorkerWaitsBeforeItRestarts(),
            LogInvariants.retryingSyncSaysWhy(),
            DataInvariants.eachTransactionAppliedOnce(),
            DataInvariants.caughtUpSubscriberMatchesItsPublisher(),
            DataInvariants.preparedTransactionSurvivesPromotion(),
            OutcomeInvariants.documentedOutcome(),
            OutcomeInvariants.oneSynchronizerAtATime(),
            OutcomeInvariants.syncFindsThePrimarySlotThatExists(),
            PgFailoverSlotsInvariants.copyWithinStandbyFlush(),
            PgFailoverSlotsInvariants.copyNotAheadOfPrimary(),
            PgFailoverSlotsInvariants.copyNeverMovesBack(),
            PgFailoverSlotsInvariants.copiesOnlyOfNamedSlots(),
            PgFailoverSlotsInvariants.workerCopiesEveryNamedSlot(),
            PgFailoverSlotsInvariants.barrierHoldsWalsenders(),
            PgFailoverSlotsInvariants.readyCopySurvivesPromotion());

    private Invariants() {
    }

    public static List<Invariant> all() {
        return ALL;
    }
}
