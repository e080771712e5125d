package org.slapgrid.buildout;

import java.nio.file.Path;

/** The child process of {@link KillTest}: one install, one line per part on stdout. */
public final class KillTestMain {

    private KillTestMain() {
    }

    public static void main(String[] args) {
        Buildout.builder(Path.of(args[0])).log(line -> {
            System.out.println(line);
            System.out.flush();
        }).build().install();
        System.out.println("DONE");
    }
}
