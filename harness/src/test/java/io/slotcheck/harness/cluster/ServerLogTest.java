package io.slotcheck.harness.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerLogTest {

    @Test
    void aClientRefusedWhileTheServerStartsIsNotWhyItExited() {
        assertFalse(ServerLog.EXIT_REASON.matcher("2026-12-07 23:24:34.270 UTC [11] client backend: FATAL:  the database system is"
                + " starting up").find());
        assertFalse(ServerLog.EXIT_REASON.matcher("[12] client backend: FATAL:  the database system is not yet accepting connections").find());
        assertTrue(ServerLog.EXIT_REASON.matcher("2026-12-07 23:24:34.301 UTC [9] startup: FATAL:  logical replication slot \"s1\" exists,"
                + " but \"wal_level\" < \"logical\"").find());
        assertTrue(ServerLog.EXIT_REASON.matcher("[1] postmaster: FATAL:  could not bind IPv4 address \"127.0.0.1\": Address in use").find());
        assertTrue(ServerLog.EXIT_REASON.matcher("[9] startup: PANIC:  could not locate a valid checkpoint record").find());
    }
}
