/** The master: HTTP API, allocation, store and web UI. */
package org.slapgrid.master;
