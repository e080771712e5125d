package org.slapgrid.node.config;

/** A bad node configuration: names the file, and the section and option when they are known. */
public class NodeConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NodeConfigException(String message) {
        super(message);
    }

    public NodeConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
