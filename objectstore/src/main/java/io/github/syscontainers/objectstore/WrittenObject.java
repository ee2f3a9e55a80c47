package io.github.syscontainers.objectstore;

/** The name of an object that was written, and whether it was new. */
public record WrittenObject(ObjectId id, InsertResult result) {}
