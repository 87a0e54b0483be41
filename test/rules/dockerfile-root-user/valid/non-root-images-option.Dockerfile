# podguard-config: {"rules": {"dockerfile-root-user": {"nonRootImages": ["myregistry.azurecr.io/base/**"]}}}
FROM myregistry.azurecr.io/base/node-nonroot:22
COPY . /app
