package org.clusterdns.skydns.backend;

/**
 * A snapshot of the etcd backend's state, for metrics and logs.
 *
 * @param revision the etcd revision the index reflects: that of the last load or watch message
 *     (0 before the first load)
 * @param entries the number of services in the index
 * @param malformedValues how many distinct malformed values (key and revision) were skipped
 * @param connected whether etcd answered the last request or watch message
 * @param lastEventMillis the wall-clock time of the last load or watch event, 0 before any
 * @param reloads how many full reloads followed the first load (compaction, etcd restarted
 *     empty, watch ended)
 */
public record BackendStatus(
    long revision, int entries, long malformedValues, boolean connected, long lastEventMillis, long reloads) {}
