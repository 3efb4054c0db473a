import { DEMO_PREFIX, registerDemoPart } from '../../platform/demo/registry.ts';
import { receiveReport } from './receive.ts';

let registered = false;

/** Demo reports, marked [デモ]: a smishing pair (one cluster), an auction trouble and a 犯行予告 for the duty desk. */
export function registerIntakeDemo(): void {
  if (registered) return;
  registered = true;
  registerDemoPart('intake', async (p) => {
    const web = { subject: null, ip: null };
    const reports = [
      `${DEMO_PREFIX} 宅配業者を名乗るSMSが届きました。「お荷物のお届けにあがりましたが不在の為持ち帰りました。配送物は下記よりご確認ください hxxps://sagawa-demo[.]example/abc」`,
      `${DEMO_PREFIX} 宅配業者を名乗るSMSが届きました。「お荷物のお届けにあがりましたが不在の為持ち帰りました。配送物は下記よりご確認ください hxxps://yamato-demo[.]example/xyz」`,
      `${DEMO_PREFIX} フリマアプリでゲーム機を購入し3万円を支払いましたが、商品が届かず出品者と連絡が取れません。`,
      `${DEMO_PREFIX} 掲示板に「明日の正午に福島駅で人を刺す」という書き込みがありました。`,
    ];
    for (const narrative of reports) {
      await receiveReport(p, { channel: 'web', kind: 'report', reporterType: 'anonymous', narrative }, [], web);
    }
  });
}
