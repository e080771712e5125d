/** The node: format, software releases, instance convergence, supervision, promises, bangs. */
package org.slapgrid.node;
