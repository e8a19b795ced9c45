package io.redisha.backend;

import java.io.File;
import java.util.Map;

/**
 * What a backend offers whose nodes run images built on the engine they run on (one engine): the
 * Sentinel image is built there from {@code sentinel/}. A Swarm offers none: an image built on its
 * manager would be missing on the other hosts, so its Sentinels run the topology's image.
 */
public interface ImageBuilds {

    /**
     * Builds an image from a directory holding a Dockerfile, labelled as the project's; never pulls.
     * Returns whether it built one (false: the tag was current).
     */
    boolean buildImage(File contextDir, String tag, Map<String, String> buildArgs);

    void removeImage(String tag);

    /**
     * Removes the project's images that no tag names and no container uses: earlier builds of the
     * Sentinel image, left when a change of base image (a roll) built it again. Returns how many.
     */
    int removeOldImages();
}
