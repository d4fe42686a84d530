/** Test support for kube2sky: a fabric8 mock API server in CRUD mode on loopback. */
package org.clusterdns.kube2sky.testing;
