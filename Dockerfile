# The apiserver-kit image: `serve` by default; `manifests` prints what deploys it.
# Build: docker build -t apiserver-kit:latest .
FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The sources come later (prepare would compile them); better-sqlite3 is built here, with the full image's tools.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
USER node
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve", "--bind-address=0.0.0.0"]
