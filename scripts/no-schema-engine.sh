#!/bin/sh
echo "parley: the Prisma schema engine is not installed; migrations run through src/db/migrate.ts" >&2
exit 1
