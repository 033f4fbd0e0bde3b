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
RUN test -n "$SERVICE" || (echo "build with --build-arg SERVICE=crawler|parser|indexer|renderer|api" && false)
RUN npm install -g turbo@2.11.11
COPY . .
RUN turbo prune "@gazette/${SERVICE}" --docker

FROM base AS builder
ARG SERVICE
# Manifests first: the dependency layer is reused until a package.json or the lockfile changes.
COPY --from=pruner /app/out/json/ .
RUN npm ci --no-audit --no-fund
COPY --from=pruner /app/out/full/ .
COPY --from=pruner /app/tsconfig.base.json /app/tsconfig.build-base.json ./
# Compile the service and the packages it uses to JavaScript (dist/), then drop the build tools.
RUN npx turbo run build --filter="@gazette/${SERVICE}..." && npm prune --omit=dev --no-audit --no-fund

FROM base AS runner
ARG SERVICE
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=256 \
    OPS_HOST=0.0.0.0 \
    ARCHIVE_DIR=/data/archive
RUN mkdir -p /data/archive && chown node:node /data/archive
# The renderer drives Debian's Chromium (CHROMIUM_PATH defaults to /usr/bin/chromium); no other image carries it.
RUN if [ "$SERVICE" = renderer ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation && \
      rm -rf /var/lib/apt/lists/*; \
    fi
COPY --from=builder --chown=node:node /app /app
USER node
WORKDIR /app/services/${SERVICE}
# Every workspace runs its compiled output: no TypeScript transform at start.
CMD ["node", "dist/main.js"]
