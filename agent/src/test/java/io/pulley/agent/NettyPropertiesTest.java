package io.pulley.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.IdleClassesTest.RecordingLoader;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The properties reach what they are meant for: gRPC's netty, loaded afresh in a loader of its own
 * after they are set, allocates without a pool.
 */
class NettyPropertiesTest {

  @Test
  void set_grpcAllocatesWithoutAPool_andLoadsNoNativeTransport() throws Exception {
    try (RecordingLoader loader = new RecordingLoader()) {
      setIn(loader);

      Method allocator =
          Class.forName("io.grpc.netty.shaded.io.grpc.netty.Utils", true, loader)
              .getMethod("getByteBufAllocator", boolean.class);
      allocator.setAccessible(true); // public, in a package-private class
      Object forTransports = allocator.invoke(null, false);

      assertThat(forTransports.getClass().getName())
          .isEqualTo("io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator");
      assertThat(loader.defined)
          .doesNotContain("io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator")
          .doesNotContain("io.grpc.netty.shaded.io.netty.channel.epoll.Native");
    }
  }

  @Test
  void set_tlsGoesThroughTheJdk_andLoadsNoBoringSsl() throws Exception {
    try (RecordingLoader loader = new RecordingLoader()) {
      setIn(loader);

      // What gRPC's TLS credentials build a client's context with.
      Class<?> contexts =
          Class.forName("io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts", true, loader);
      Object builder = contexts.getMethod("forClient").invoke(null);
      Object context = builder.getClass().getMethod("build").invoke(builder);

      assertThat(context.getClass().getName())
          .isEqualTo("io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslClientContext");
      // tcnative is the Java side of the library: none of it loads, so neither does BoringSSL.
      assertThat(loader.named("io.grpc.netty.shaded.io.netty.internal.tcnative.")).isEmpty();
    }
  }

  /** Sets the properties as the agent's main does, before the loader has loaded any of netty. */
  private static void setIn(RecordingLoader loader) throws Exception {
    // Package-private, and in another loader's package: reached by reflection.
    Method set =
        Class.forName(NettyProperties.class.getName(), true, loader).getDeclaredMethod("set");
    set.setAccessible(true);
    set.invoke(null);
  }
}
