package io.slotcheck.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LsnTest {

    @Test
    void parsesBothPrintFormatsToTheSamePosition() {
        assertEquals(Lsn.parse("0/3003F28"), Lsn.parse("0/03003F28"));
        assertEquals(0x3003F28L, Lsn.parse("0/3003F28").value());
        assertEquals("1/A", Lsn.parse("1/0000000A").toString());
    }

    @Test
    void ordersAsUnsignedSixtyFourBitPositions() {
        assertTrue(Lsn.parse("1/0").isAfter(Lsn.parse("0/FFFFFFFF")));
        assertTrue(Lsn.parse("FFFFFFFF/0").isAfter(Lsn.parse("7FFFFFFF/FFFFFFFF")));
        assertTrue(Lsn.parse("0/10").isBefore(Lsn.parse("0/11")));
    }

    @Test
    void rejectsTextThatIsNoLsn() {
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("3003F28"));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("0/"));
        assertThrows(IllegalArgumentException.class, () -> Lsn.parse("100000000/0"));
        assertNull(Lsn.parseNullable(null));
    }
}
