package io.casewatch.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.casewatch.schema.Alert;

/** The last alerts this instance published, newest first, for the live page. Bounded; lost on restart. */
final class RecentAlerts {
    private final int capacity;
    private final Deque<Alert> alerts = new ArrayDeque<>();

    RecentAlerts(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Alert a) {
        alerts.addFirst(Alert.newBuilder(a).build()); // a copy: the record may be reused after publishing
        while (alerts.size() > capacity) {
            alerts.removeLast();
        }
    }

    synchronized List<Alert> snapshot() {
        return new ArrayList<>(alerts);
    }
}
