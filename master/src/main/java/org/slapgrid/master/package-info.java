/**
 * The master: {@link org.slapgrid.master.Master} starts and wires the parts and registers their
 * periodic duties with one {@link org.slapgrid.master.service.Schedule}. The HTTP API of
 * docs/protocol.md ({@code api}), nodes, instances and accounts ({@code service}), clusters
 * ({@code cluster}), partition jobs ({@code jobs}), metrics and autoscaling ({@code metrics},
 * {@code autoscale}), compliance ({@code compliance}), credentials ({@code auth}), the store on
 * SQLite or PostgreSQL ({@code store}) and the web UI under {@code /ui/} ({@code ui}).
 */
package org.slapgrid.master;
