// Workloads that several rules' documented examples are written against (their policies differ).

/** Pods shop/web (app=web) and shop/db (app=db), each document followed by `---`. */
export const SHOP_WEB_AND_DB_PODS = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  namespace: shop
  labels:
    app: db
---
`;
