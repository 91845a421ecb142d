package io.slotcheck.model.version;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionProfileTest {

    @Test
    void postgresqlAndIvorysqlVersionStringsMapToTheirPostgresqlBase() {
        ServerVersion pg = ServerVersion.parse("PostgreSQL 17.11 on x86_64-pc-linux-gnu, compiled by gcc 7.5.0, 64-bit");
        assertEquals(new ServerVersion(Product.POSTGRESQL, 17, 11, "17.11"), pg);
        ServerVersion ivory = ServerVersion.parse("PostgreSQL 17.6 (IvorySQL 4.6) on x86_64-pc-linux-gnu, compiled by gcc 12.2.0, 64-bit");
        assertEquals(new ServerVersion(Product.IVORYSQL, 17, 6, "4.6"), ivory);
        assertEquals("IvorySQL 4.6 (PostgreSQL 17.6)", ivory.toString());
        ServerVersion beta = ServerVersion.parse("PostgreSQL 19beta3 on x86_64");
        assertEquals(new ServerVersion(Product.POSTGRESQL, 19, 0, "19beta3"), beta, "a pre-release behaves as its release");
        assertEquals("PostgreSQL 19beta3", beta.toString(), "and reports say what it is");
        assertEquals("PostgreSQL 17.11", pg.toString());
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("MySQL 8.0"));
    }

    @Test
    void capabilitiesFollowTheReleaseThatIntroducedThem() {
        assertFalse(VersionProfile.of("PostgreSQL 16.15 on x").hasFailoverSlots());
        assertTrue(VersionProfile.of("PostgreSQL 17.0 on x").hasFailoverSlots());
        assertFalse(VersionProfile.of("PostgreSQL 17.5 on x").primaryConfirmedFlushNeverRetreats());
        assertTrue(VersionProfile.of("PostgreSQL 17.6 on x").primaryConfirmedFlushNeverRetreats());
        assertTrue(VersionProfile.of("PostgreSQL 18.0 on x").primaryConfirmedFlushNeverRetreats());
        assertFalse(VersionProfile.of("PostgreSQL 17.11 on x").syncsTwoPhaseAt());
        assertTrue(VersionProfile.of("PostgreSQL 18.0 (IvorySQL 5.0) on x").syncsTwoPhaseAt());
        assertTrue(VersionProfile.of("PostgreSQL 19beta3 on x").manualSyncRetriesUntilReady());
    }

    @Test
    void aFixIsMissingOnlyFromTheMinorsOfItsMajorsBeforeItsRelease() {
        UpstreamFix fix = UpstreamFix.CONFIRMED_FLUSH_NO_LONGER_RETREATS;
        assertEquals("17.6", fix.missingFrom(ServerVersion.parse("PostgreSQL 17.0 on x")).orElseThrow().release().version());
        assertEquals("https://www.postgresql.org/docs/release/17.6/",
                fix.missingFrom(ServerVersion.parse("PostgreSQL 17.5 (IvorySQL 4.5) on x")).orElseThrow().release().releaseNotes());
        assertTrue(fix.missingFrom(ServerVersion.parse("PostgreSQL 17.6 on x")).isEmpty());
        assertTrue(fix.missingFrom(ServerVersion.parse("PostgreSQL 18.0 on x")).isEmpty(), "18.0 was released with it");
        assertTrue(fix.missingFrom(ServerVersion.parse("PostgreSQL 19.0 on x")).isEmpty(), "a later major has it from its start");
        assertFalse(VersionProfile.of("PostgreSQL 16.15 on x").has(fix), "16 has no failover slots, nor their fixes");
    }

    @Test
    void versionsWithoutFailoverSlotsAreRefusedWithTheReason() {
        assertEquals("IvorySQL 3.4 (PostgreSQL 16.4) has no failover slots (they came with PostgreSQL 17), so there is no slot sync"
                        + " to check: choose a PostgreSQL 17 or later target, or an installation with the pg_failover_slots extension (--pg-home)",
                VersionProfile.of("PostgreSQL 16.4 (IvorySQL 3.4) on x86_64").withoutFailoverSlots().orElseThrow());
        assertTrue(VersionProfile.of("PostgreSQL 17.0 on x86_64").withoutFailoverSlots().isEmpty());
    }

    @Test
    void theExtensionGivesSixteenSlotSyncOfItsOwnKindAndReplacesTheServersOwnOnSeventeen() {
        VersionProfile sixteen = VersionProfile.of("PostgreSQL 16.4 (IvorySQL 3.4) on x86_64", SlotSyncMechanism.PG_FAILOVER_SLOTS);
        assertTrue(sixteen.withoutFailoverSlots().isEmpty(), "16 with pg_failover_slots is a target");
        assertTrue(sixteen.syncsWithPgFailoverSlots());
        assertFalse(sixteen.hasFailoverSlots(), "the server's own failover slots are not what is checked");
        VersionProfile seventeen = VersionProfile.of("PostgreSQL 17.6 on x86_64", SlotSyncMechanism.PG_FAILOVER_SLOTS);
        assertFalse(seventeen.hasFailoverSlots(), "on 17 the extension, when chosen, keeps the copies instead");
        assertEquals("PostgreSQL 17.6 with pg_failover_slots", seventeen.toString());
    }

    @Test
    void workerPromotionMessageFollowsBothBackBranches() {
        String sigint = "replication slot synchronization worker is shutting down on receiving SIGINT";
        String because = "replication slot synchronization worker is shutting down because promotion is triggered";
        String willStop = "replication slot synchronization worker will stop because promotion is triggered";
        assertEquals(sigint, text("17.7"));
        assertEquals(because, text("17.8"));
        assertEquals(willStop, text("17.10"));
        assertEquals(sigint, text("18.1"));
        assertEquals(because, text("18.3"));
        assertEquals(willStop, text("18.4"));
        assertEquals(willStop, text("19.0"));
    }

    @Test
    void templatesMatchFilledInMessagesOnly() {
        MessageTemplate lsnAhead = new MessageTemplate(Message.SYNC_LSN_AHEAD.latest);
        assertTrue(lsnAhead.matches("skipping slot synchronization because the received slot sync LSN 0/3003F28 for slot \"s\""
                + " is ahead of the standby position 0/03003E00"));
        assertFalse(lsnAhead.matches("skipping slot synchronization because the received slot sync LSN 0/3003F28 for slot \"s\""));
        MessageTemplate active = new MessageTemplate(Message.SLOT_ACTIVE.latest);
        assertTrue(active.matches("replication slot \"lslot\" is active for PID 4242"));
        assertFalse(active.matches("replication slot \"lslot\" is active for PID many"));
        assertTrue(new MessageTemplate("wal_level >= logical (100%)").matches("wal_level >= logical (100%)"));
    }

    @Test
    void aManualSyncThatCannotConnectSaysSoInItsVersionsWords() {
        String refused = "connection to server at \"127.0.0.1\", port 5432 failed: Connection refused";
        assertTrue(VersionProfile.of("PostgreSQL 17.12 on x").text(Message.SYNC_CANNOT_CONNECT)
                .matches("could not connect to the primary server: " + refused));
        assertTrue(VersionProfile.of("PostgreSQL 18.7 on x").text(Message.SYNC_CANNOT_CONNECT)
                .matches("synchronization worker \"slotsync\" could not connect to the primary server: " + refused));
        assertFalse(VersionProfile.of("PostgreSQL 18.7 on x").text(Message.SYNC_CANNOT_CONNECT)
                .matches("could not connect to the primary server: " + refused));
    }

    @Test
    void aStandbyWithLogicalSlotsNeedsLogicalWalBefore19AndReplicaFrom19() {
        String refused = "logical replication slot \"s1\" exists, but \"wal_level\" < \"%s\"";
        assertTrue(VersionProfile.of("PostgreSQL 18.7 on x").text(Message.LOGICAL_SLOT_NEEDS_WAL_LEVEL).matches(refused.formatted("logical")));
        assertTrue(VersionProfile.of("PostgreSQL 19beta3 on x").text(Message.LOGICAL_SLOT_NEEDS_WAL_LEVEL).matches(refused.formatted("replica")));
    }

    private static String text(String version) {
        return VersionProfile.of("PostgreSQL " + version + " on x").text(Message.SYNC_WORKER_STOPS_AT_PROMOTION).text();
    }
}
