package dev.agentgateway.spring.persistence;

/** What a history write does when the write queue is full. */
public enum FullQueuePolicy {

    /** The calling thread waits until the writer has made room: nothing is lost, calls slow down. */
    BLOCK,

    /** The record is dropped and counted ({@link JpaCallHistoryStore#droppedCount()}): calls never wait. */
    DROP
}
