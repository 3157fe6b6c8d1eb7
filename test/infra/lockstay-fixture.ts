/**
 * Builds the Lockstay app for the infrastructure tests exactly as `cdk synth` does (same stacks, same
 * cdk.json context and feature flags, same cdk-nag plugin), minus what a test does not need: bundling (the
 * `aws:cdk:bundling-stacks` context) and the CDK's built-in CloudFormation validation, each unless asked.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { projectRoot } from '#infra/constructs/lockstay-function.ts';
import { addLockstay, type LockstayStacks } from '#infra/lockstay-app.ts';

const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown> & { mailFromDomain: string };
};

/** The context the CDK CLI passes to the app from cdk.json. */
export const cdkContext = cdkJson.context;

/**
 * Inside the project so that a bundle loaded by a test resolves the AWS SDK from the project's node_modules,
 * as the Lambda runtime provides it in AWS.
 */
const outputRoot = join(projectRoot, 'node_modules', '.cache', 'lockstay-infra-tests');
const outputDirectories: string[] = [];

/** Removes what this test file synthesised; call it in `afterAll`. */
export function removeSynthesizedApps(): void {
  for (const directory of outputDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
}

export interface SynthOptions {
  /**
   * Stacks whose functions are bundled with esbuild.
   * @default none
   */
  readonly bundlingStacks?: readonly string[];
  /**
   * Run the CDK's built-in CloudFormation template validation (slow; cdk-nag runs regardless).
   * @default false
   */
  readonly cloudFormationValidation?: boolean;
  /** @default environment-agnostic */
  readonly env?: Environment;
  /** Adds constructs to the stacks before synthesis, e.g. a deliberately non-compliant resource. */
  readonly extend?: (stacks: LockstayStacks) => void;
}

export interface SynthesizedLockstay extends LockstayStacks {
  readonly app: App;
  readonly assembly: CloudAssembly;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

export function synthLockstay(options: SynthOptions = {}): SynthesizedLockstay {
  const { bundlingStacks = [], cloudFormationValidation = false, env, extend } = options;
  mkdirSync(outputRoot, { recursive: true });
  const outdir = mkdtempSync(join(outputRoot, 'cdk.out-'));
  outputDirectories.push(outdir);
  const app = new App({
    outdir,
    context: { ...cdkContext, 'aws:cdk:bundling-stacks': [...bundlingStacks] },
    builtinCloudFormationValidation: cloudFormationValidation,
  });
  const stacks = addLockstay(app, {
    mailFromDomain: cdkContext.mailFromDomain,
    ...(env === undefined ? {} : { env }),
  });
  extend?.(stacks);
  const assembly = app.synth();
  return {
    ...stacks,
    app,
    assembly,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
}

/** A resource of a template, as `Template.findResources` returns it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** The template's resources by logical id, all of them or those of one type. */
export function resourcesOf(template: Template, type?: string): Record<string, TemplateResource> {
  const all = (template.toJSON() as { Resources: Record<string, TemplateResource> }).Resources;
  return Object.fromEntries(Object.entries(all).filter(([, resource]) => !type || resource.Type === type));
}
