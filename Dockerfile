# One image for every service; docker-compose.yml picks the service with the command.
# Build stage: every dependency, and the TypeScript compiled to dist/ (npm run build).
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (the embedded default) compiles from source where no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime: compiled JavaScript with source maps, production dependencies only, not root.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/launch.js /app/scripts/healthcheck.js ./scripts/
USER node
# node itself is the process that gets SIGTERM (not npm or a shell), and drains before it exits
# (README.md, "Stopping a service"); `init: true` in compose reaps what it might leave.
CMD ["node", "scripts/launch.js", "scripts/start-all.ts"]
