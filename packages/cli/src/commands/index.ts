import type { Command } from 'commander';
import { register as audit } from './audit.ts';
import { register as backup } from './backup.ts';
import { register as brand } from './brand.ts';
import { register as classify } from './classify.ts';
import { register as collection } from './collection.ts';
import { register as demo } from './demo.ts';
import { register as exportMisp } from './exportMisp.ts';
import { register as exportStix } from './exportStix.ts';
import { register as extract } from './extract.ts';
import { register as hunt } from './hunt.ts';
import { register as importIocs } from './importIocs.ts';
import { register as importMisp } from './importMisp.ts';
import { register as importStix } from './importStix.ts';
import { register as migrate } from './migrate.ts';
import { register as partner } from './partner.ts';
import { register as restore } from './restore.ts';
import { register as serve } from './serve.ts';
import { register as token } from './token.ts';
import { register as user } from './user.ts';

/** Each command module exports a `register(program)`; the order here is the order in `--help`. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  serve,
  migrate,
  user,
  token,
  partner,
  collection,
  extract,
  importIocs,
  importStix,
  importMisp,
  exportStix,
  exportMisp,
  hunt,
  classify,
  brand,
  audit,
  backup,
  restore,
  demo,
];
