/**
 * The kube2sky benchmark ({@code scripts/bench kube2sky}): a mock API server full of Services, kube2sky
 * and skydns-server as separate processes, and the measurements of sync time, etcd transactions,
 * memory and programming latency. Not tests: nothing here runs in {@code mvn test} or {@code verify}.
 */
package org.clusterdns.kube2sky.bench;
