/**
 * The kube2sky benchmark ({@code scripts/bench kube2sky}): a mock API server full of Services, kube2sky
 * and skydns-server as separate processes, and the measurements of sync time, etcd transactions,
 * memory and programming latency. Not tests, except {@code NameIndexedCrudDispatcherTest}, which
 * checks that the mock API server answers lists as an API server does, so that the figures mean
 * what they say.
 */
package org.clusterdns.kube2sky.bench;
