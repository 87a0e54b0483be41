# podguard-config: {"rules": {"dockerfile-root-user": {"nonRootImages": ["myregistry.azurecr.io/base/**"]}}}
FROM myregistry.azurecr.io/tools/node:22
COPY . /app
# expect: noUser@2:1 error
