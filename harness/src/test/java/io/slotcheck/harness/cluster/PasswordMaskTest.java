package io.slotcheck.harness.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Configuration copied beside a violation's logs (and attached to reports) shows no password. */
class PasswordMaskTest {

    @Test
    void passwordsInConnectionStringsAreMasked() {
        assertEquals("primary_conninfo = 'host=10.0.0.5 user=replicator password=**** dbname=postgres'",
                Cluster.maskPasswords("primary_conninfo = 'host=10.0.0.5 user=replicator password=s3cr3t dbname=postgres'"));
        assertEquals("primary_conninfo = 'host=h password = ****'", Cluster.maskPasswords("primary_conninfo = 'host=h password = hunter2'"));
        assertEquals("primary_conninfo = 'password=**** host=h'", Cluster.maskPasswords("primary_conninfo = 'PASSWORD=x host=h'")
                .replace("PASSWORD", "password"));
        assertEquals("wal_level = logical", Cluster.maskPasswords("wal_level = logical"));
    }
}
