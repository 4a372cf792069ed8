# The topo CLI as an image: what the pods of `topo sweep FILE --emit k8s-job --image IMAGE` run
# (docs/sweep.md). It holds `npm pack`'s package, installed globally, so `topo` is on the PATH.
#   docker build -t registry.example/topo:0.1.0 . && docker push registry.example/topo:0.1.0
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# the build needs esbuild and the sources only; no install scripts (code-server, electron)
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# prepack builds the minified bundles (dist/cli.js, dist/sweep-worker.js, ...) into the package
RUN npm pack --silent --pack-destination /tmp && mv /tmp/topo-*.tgz /tmp/topo.tgz

FROM node:20-slim
COPY --from=build /tmp/topo.tgz /tmp/topo.tgz
RUN npm install -g --no-audit --no-fund /tmp/topo.tgz && rm /tmp/topo.tgz && topo --version
USER node
WORKDIR /home/node
ENTRYPOINT ["topo"]
CMD ["--help"]
