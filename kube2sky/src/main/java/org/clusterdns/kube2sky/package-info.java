/**
 * The kube2sky process: the command line entry point and the composition of informers,
 * synchroniser and operations endpoints.
 */
package org.clusterdns.kube2sky;
