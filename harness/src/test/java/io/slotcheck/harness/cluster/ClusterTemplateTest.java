package io.slotcheck.harness.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings a template adds for the pg_failover_slots extension. */
class ClusterTemplateTest {

    @Test
    void theExtensionIsLoadedBesideWhatTheInstallationPreloadsAlready() {
        String ivorySql = ClusterTemplate.pgFailoverSlotsSettings("liboracle_parser, ivorysql_ora");
        assertTrue(ivorySql.contains("shared_preload_libraries = 'liboracle_parser, ivorysql_ora, pg_failover_slots'"),
                "IvorySQL's Oracle mode needs its own libraries kept: " + ivorySql);
        assertTrue(ClusterTemplate.pgFailoverSlotsSettings("").contains("shared_preload_libraries = 'pg_failover_slots'"));
        assertTrue(ivorySql.contains("pg_failover_slots.worker_nap_time = 1000"), "a cycle a second, not a minute: " + ivorySql);
    }
}
