package io.slotcheck.model.readiness;

import io.slotcheck.model.observation.NodeSnapshot;

import java.util.List;

/**
 * What the doctor read of a live cluster at one moment, read-only: the primary, its standbys, the subscribers of its
 * slots, and beside the snapshots what they do not hold.
 *
 * @param configFiles    {@code pg_file_settings} of each node that let it be read
 * @param heldConsumers  the primary's backends waiting on {@code synchronized_standby_slots}
 * @param unread         what could not be read, and why
 * @param unreachable    servers named that did not answer
 */
public record ClusterView(NodeSnapshot primary, List<NodeSnapshot> standbys, List<NodeSnapshot> subscribers,
                          List<ConfigFileEntry> configFiles, List<HeldConsumer> heldConsumers, List<Unread> unread,
                          List<Unreachable> unreachable) {

    public ClusterView {
        standbys = List.copyOf(standbys);
        subscribers = List.copyOf(subscribers);
        configFiles = List.copyOf(configFiles);
        heldConsumers = List.copyOf(heldConsumers);
        unread = List.copyOf(unread);
        unreachable = List.copyOf(unreachable);
    }

    /** Whether {@code setting} of {@code node} was read (a role without pg_read_all_settings sees no superuser-only setting). */
    public static boolean read(NodeSnapshot node, String setting) {
        return node.settings().containsKey(setting);
    }
}
