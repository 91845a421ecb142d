package io.slotcheck.reports;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LsnTimelineTest {

    @Test
    void plotsEachNodesWalAndEachFailoverSlotsPositionsPerStep() {
        List<LsnTimeline.Line> lines = LsnTimeline.lines(Sequences.aheadOfTheStandby());
        assertEquals(List.of("primary flush", "standby1 flush", "standby1 replay", "s on primary confirmed_flush", "s on primary restart",
                "s (synced copy) on standby1 confirmed_flush", "s (synced copy) on standby1 restart"), lines.stream().map(LsnTimeline.Line::name).toList());
        assertEquals(Map.of(1, 0x3000200L, 2, 0x3000200L), lines.get(1).byStep());
        assertEquals(Map.of(2, 0x3000250L), lines.get(5).byStep());
    }

    @Test
    void drawsAPng() throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(LsnTimeline.png(Sequences.aheadOfTheStandby(), 2,
                "synced-confirmed-flush-within-standby-flush")));
        assertEquals(1400, image.getWidth());
        assertEquals(700, image.getHeight());
    }
}
