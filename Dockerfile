# syntax=docker/dockerfile:1
# One image recipe for every Gazette service:
#   docker build --build-arg SERVICE=crawler -t gazette-crawler .
# turbo prune keeps only the workspaces the service depends on, so each image
# carries its own code and dependencies and nothing else.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app

FROM base AS pruner
ARG SERVICE
RUN test -n "$SERVICE" || (echo "build with --build-arg SERVICE=crawler|parser|indexer|api" && false)
RUN npm install -g turbo@2.11.11
COPY . .
RUN turbo prune "@gazette/${SERVICE}" --docker

FROM base AS installer
# Manifests first: the dependency layer is reused until a package.json or the lockfile changes.
COPY --from=pruner /app/out/json/ .
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=pruner /app/out/full/ .

FROM base AS runner
ARG SERVICE
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=256 \
    OPS_HOST=0.0.0.0 \
    ARCHIVE_DIR=/data/archive
RUN mkdir -p /data/archive && chown node:node /data/archive
COPY --from=installer --chown=node:node /app /app
USER node
WORKDIR /app/services/${SERVICE}
# Internal packages ship as TypeScript source; tsx loads them.
CMD ["node", "--import", "tsx", "src/main.ts"]
