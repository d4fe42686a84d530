/** How a clusterdns process ends when it can no longer do its job: fatal errors stop it. */
package org.clusterdns.process.lifecycle;
