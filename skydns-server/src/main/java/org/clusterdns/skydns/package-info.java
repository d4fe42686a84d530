/**
 * The skydns-server process: the command line entry point and the composition of backend,
 * resolver chain, transport and operations endpoints into one running server.
 */
package org.clusterdns.skydns;
