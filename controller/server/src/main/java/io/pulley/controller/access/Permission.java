package io.pulley.controller.access;

import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.EnrolServiceGrpc;
import io.pulley.v1.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Who may call a gRPC method; every method the controller serves is in {@link #of}'s table. */
public enum Permission {
  /** No certificate needed. */
  ANYONE,
  /** Any enrolled host or admin. */
  ENROLLED,
  HOST,
  VIEWER,
  DEPLOYER,
  ADMIN,
  /** Not in the table: nobody. */
  NOBODY;

  private static final Set<String> DEPLOYER_METHODS =
      Set.of("ApplyManifest", "Rollback", "ControlRollout", "Promote");
  private static final Map<String, Permission> TABLE = table();

  /** Who may call {@code fullMethodName} ("package.Service/Method"). */
  public static Permission of(String fullMethodName) {
    return TABLE.getOrDefault(fullMethodName, NOBODY);
  }

  /** Whether {@code caller} is allowed by this permission. */
  public boolean allows(Caller caller) {
    return switch (this) {
      case ANYONE, ENROLLED -> true;
      case HOST -> caller.isHost();
      case VIEWER -> caller.hasRole(Role.ROLE_VIEWER);
      case DEPLOYER -> caller.hasRole(Role.ROLE_DEPLOYER);
      case ADMIN -> caller.hasRole(Role.ROLE_ADMIN);
      case NOBODY -> false;
    };
  }

  /** What a refused caller is told it lacks. */
  public String describe() {
    return switch (this) {
      case HOST -> "only hosts may call this";
      case VIEWER, DEPLOYER, ADMIN ->
          "needs the " + name().toLowerCase(java.util.Locale.ROOT) + " role";
      default -> "not allowed";
    };
  }

  private static Map<String, Permission> table() {
    Map<String, Permission> table = new HashMap<>();
    for (var method : AdminServiceGrpc.getServiceDescriptor().getMethods()) {
      String name = method.getBareMethodName();
      Permission permission =
          name.equals("SetSecret") ? ADMIN : DEPLOYER_METHODS.contains(name) ? DEPLOYER : VIEWER;
      table.put(method.getFullMethodName(), permission);
    }
    for (var method : AgentServiceGrpc.getServiceDescriptor().getMethods()) {
      table.put(method.getFullMethodName(), HOST);
    }
    for (var method : AccessServiceGrpc.getServiceDescriptor().getMethods()) {
      // An admin of any role may ask who it is (`pulley whoami` after `pulley login`).
      boolean whoAmI = method.getBareMethodName().equals("WhoAmI");
      table.put(method.getFullMethodName(), whoAmI ? VIEWER : ADMIN);
    }
    table.put(EnrolServiceGrpc.getEnrolMethod().getFullMethodName(), ANYONE);
    table.put(EnrolServiceGrpc.getRenewMethod().getFullMethodName(), ENROLLED);
    table.put("grpc.health.v1.Health/Check", ANYONE);
    table.put("grpc.health.v1.Health/Watch", ANYONE);
    table.put("grpc.health.v1.Health/List", ANYONE);
    table.put("grpc.reflection.v1.ServerReflection/ServerReflectionInfo", ADMIN);
    table.put("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", ADMIN);
    return Map.copyOf(table);
  }
}
