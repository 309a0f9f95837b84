import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { composeSets, kindOf, kindOfNamed, namesProd } from "./file-kinds.ts";

describe("kindOf", () => {
  it("knows Dockerfile and Compose names, and skips the rest", () => {
    for (const name of ["Dockerfile", "Dockerfile.prod", "api.Dockerfile", "dockerfile"]) {
      assert.equal(kindOf(name), "dockerfile", name);
    }
    for (const name of [
      "compose.yaml",
      "compose.prod.yml",
      "docker-compose.yml",
      "docker-compose.ci.yaml",
    ]) {
      assert.equal(kindOf(name), "compose", name);
    }
    for (const name of [
      "Dockerfile.md",
      "README.md",
      "values.yaml",
      "compose.json",
      ".dockerignore",
    ]) {
      assert.equal(kindOf(name), undefined, name);
    }
    assert.equal(kindOfNamed("stack.yml"), "compose");
    assert.equal(kindOfNamed("Containerfile"), "dockerfile");
  });

  it("reads prod from a word in the name", () => {
    assert.ok(
      namesProd("Dockerfile.prod") &&
        namesProd("prod.Dockerfile") &&
        namesProd("compose.production.yaml"),
    );
    assert.ok(
      !namesProd("Dockerfile.product") && !namesProd("compose.yaml") && !namesProd("reprod.yaml"),
    );
  });
});

describe("composeSets", () => {
  const names = ["compose.yaml", "compose.override.yaml", "compose.dev.yaml", "compose.prod.yaml"];

  it("without env: base + override, and base + each other override", () => {
    assert.deepEqual(composeSets(names, undefined), [
      ["compose.yaml", "compose.override.yaml"],
      ["compose.yaml", "compose.dev.yaml"],
      ["compose.yaml", "compose.prod.yaml"],
    ]);
  });

  it("with env: base + compose.<env>.yaml only (or the base alone)", () => {
    assert.deepEqual(composeSets(names, "prod"), [["compose.yaml", "compose.prod.yaml"]]);
    assert.deepEqual(composeSets(names, "staging"), [["compose.yaml"]]);
  });

  it("prefers compose.yaml as the base and keeps the docker-compose family apart", () => {
    assert.deepEqual(
      composeSets(["docker-compose.yml", "docker-compose.override.yml"], undefined),
      [["docker-compose.yml", "docker-compose.override.yml"]],
    );
    assert.deepEqual(
      composeSets(["compose.yaml", "docker-compose.yml", "docker-compose.ci.yml"], undefined),
      [["compose.yaml"], ["docker-compose.yml"], ["docker-compose.yml", "docker-compose.ci.yml"]],
    );
  });

  it("files without a base stand alone", () => {
    assert.deepEqual(composeSets(["compose.prod.yaml"], undefined), [["compose.prod.yaml"]]);
  });
});
