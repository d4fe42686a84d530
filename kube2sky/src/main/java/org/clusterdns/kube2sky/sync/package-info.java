/**
 * Level-based reconciliation: a coalescing queue of Services to reconcile, the reconciler that
 * computes desired leaves, reads what etcd holds under the Service's keys and writes the
 * difference in one transaction, and the periodic full reconcile that removes what no Service
 * owns and restores what etcd lost.
 */
package org.clusterdns.kube2sky.sync;
