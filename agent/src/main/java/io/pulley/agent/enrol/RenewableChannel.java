package io.pulley.agent.enrol;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A channel that can start over with fresh connections: after a renewal the key manager holds the
 * new certificate, but a channel's TLS context resumes its earlier sessions, and a resumed session
 * still shows the controller the old certificate. {@link #reconnect} builds a new channel for new
 * calls and lets the old one finish the calls under way (a held poll). Thread-safe.
 */
public final class RenewableChannel extends ManagedChannel {
  private final Supplier<ManagedChannel> factory;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private volatile ManagedChannel current;

  public RenewableChannel(Supplier<ManagedChannel> factory) {
    this.factory = factory;
    this.current = factory.get();
    channels.add(current);
  }

  /** New calls go over new connections; the previous channel ends after its calls. */
  public synchronized void reconnect() {
    ManagedChannel previous = current;
    current = factory.get();
    channels.add(current);
    previous.shutdown();
    channels.removeIf(ManagedChannel::isTerminated);
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return current.newCall(method, options);
  }

  @Override
  public String authority() {
    return current.authority();
  }

  @Override
  public void resetConnectBackoff() {
    current.resetConnectBackoff();
  }

  @Override
  public synchronized ManagedChannel shutdown() {
    channels.forEach(ManagedChannel::shutdown);
    return this;
  }

  @Override
  public synchronized ManagedChannel shutdownNow() {
    channels.forEach(ManagedChannel::shutdownNow);
    return this;
  }

  @Override
  public boolean isShutdown() {
    return current.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return channels.stream().allMatch(ManagedChannel::isTerminated);
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (ManagedChannel channel : channels) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }
}
