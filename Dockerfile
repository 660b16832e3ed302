# syntax=docker/dockerfile:1
# Build: SDK image restores and publishes the host.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props JinanDataOps.sln .editorconfig ./
COPY src/JinanDataOps.Domain/JinanDataOps.Domain.csproj src/JinanDataOps.Domain/
COPY src/JinanDataOps.Monitoring/JinanDataOps.Monitoring.csproj src/JinanDataOps.Monitoring/
COPY src/JinanDataOps.Actors/JinanDataOps.Actors.csproj src/JinanDataOps.Actors/
COPY src/JinanDataOps.Api/JinanDataOps.Api.csproj src/JinanDataOps.Api/
COPY src/JinanDataOps.Host/JinanDataOps.Host.csproj src/JinanDataOps.Host/
RUN dotnet restore src/JinanDataOps.Host/JinanDataOps.Host.csproj
COPY src/ src/
COPY cluster-config/ cluster-config/
RUN dotnet publish src/JinanDataOps.Host/JinanDataOps.Host.csproj -c Release --no-restore -o /app

# Run: ASP.NET runtime only, as a non-root user. The aspnet:10.0 image (Ubuntu 24.04 since .NET 10, Debian before)
# ships ICU (libicu), which the host needs: it runs with InvariantGlobalization=false because Microsoft.Data.SqlClient
# (sqlserver) refuses invariant mode. An Alpine or chiseled image would need ICU added (or the SQL Server provider
# left unused).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY --from=build /src/cluster-config ./cluster-config
RUN useradd --uid 10001 --create-home jdo && mkdir -p /var/lib/jinandataops && chown jdo /var/lib/jinandataops
USER jdo
WORKDIR /var/lib/jinandataops
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Cluster__Hostname=0.0.0.0 \
    Cluster__Port=4053 \
    ConfigFile=/app/cluster-config/single-node.json
# Auth__SigningKey must be supplied at run time (a secret, at least 32 bytes). In a cluster set
# Cluster__PublicHostname to the address peers reach, Cluster__SeedNodes__0.. (or Cluster__Discovery=config with
# Cluster__Discovery__Endpoints__0..), and the PostgreSQL Persistence__Provider / Persistence__ConnectionString.
# cluster-config/compose.yaml runs three nodes and PostgreSQL from this image.
# 8080 HTTP API, 4053 Akka remoting, 8558 Cluster Bootstrap's contact point (Cluster__ManagementPort; only with
# Cluster__Discovery=config, and only for the other nodes: never publish it).
EXPOSE 8080 4053 8558
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "/app/JinanDataOps.Host.dll"]
