/** How a clusterdns process ends: fatal errors stop it, and a shutdown closes what it started. */
package org.clusterdns.process.lifecycle;
