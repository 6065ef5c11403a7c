/**
 * Traditional -> Simplified folding for the characters members actually type when asking for
 * areas and tools ("網絡" for 网络, "監控", "日誌"). The data is written in Simplified Chinese;
 * a Hong Kong or Taiwan member who types the traditional form should still be understood.
 *
 * This is deliberately a table of common characters, not a full converter (no word-level
 * mappings such as 資料 -> 数据): enough for names, tags and short searches. Each pair is
 * one-to-one in this direction, so folding never changes a simplified text.
 */

// Each pair is written traditional then simplified.
const PAIRS = [
  "運运 時时 監监 數数 據据 圖图 視视 礎础 設设 機机 編编 調调 鏡镜 倉仓 庫库",
  "務务 發发 髮发 現现 冊册 誌志 處处 關关 係系 繫系 統统 臺台 雲云 網网 絡络",
  "儲储 開开 續续 線线 輕轻 虛虚 擬拟 離离 環环 資资 標标 羅罗 儀仪 盤盘 應应",
  "頁页 紅红 製制 計计 驅驱 動动 業业 級级 聯联 邊边 緣缘 權权 鍵键 佈布 檢检",
  "協协 負负 載载 軟软 轉转 傳传 輸输 變变 優优 爾尔 極极 簡简 蓋盖 層层 換换",
  "義义 簽签 內内 鏈链 掃扫 強强 訪访 問问 規规 狀状 態态 備备 塊块 託托 採采",
  "對对 測测 試试 單单 擴扩 個个 們们 為为 與与 於于 從从 後后 來来 說说 麼么",
  "還还 點点 節节 選选 擇择 項项 實实 體体 區区 隊队 觀观 覽览 歷历 錄录 雙双",
  "碼码 檔档 證证 書书 號号 頻频 導导 術术 報报 屬属 寫写 讀读 廣广 戶户 產产",
  "廠厂 員员 門门 間间 閱阅 閘闸 際际 陣阵 隨随 險险 題题 顯显 類类 風风 飛飞",
  "驗验 學学 習习 詢询 認认 請请 議议 論论 許许 貨货 質质 購购 車车 軌轨 輔辅",
  "這这 進进 遠远 適适 遷迁 邏逻 鐘钟 長长 隱隐 難难 雜杂 電电 靈灵 響响 頭头",
  "預预 顧顾 飾饰 驟骤 齊齐 蟲虫 螢萤 燈灯 獨独 異异 畫画 療疗 盡尽 盜盗 確确",
  "種种 稱称 穩稳 窮穷 籤签 紀纪 約约 細细 終终 組组 結结 給给 維维 綜综 緒绪",
  "練练 縮缩 總总 績绩 繼继 罷罢 聽听 腳脚 補补 裝装 見见 覺觉 觸触 訊讯 記记",
  "訂订 註注 詞词 該该 詳详 語语 誤误 課课 談谈 諮咨 謝谢 識识 譯译 護护 豐丰",
  "貝贝 責责 費费 賬账 趨趋 跡迹 蹤踪 軍军 較较 輯辑 農农 遊游 過过 達达 違违",
  "遞递 遺遗 醫医 釋释 針针 鈕钮 銷销 錯错 鍊链 鎖锁 閉闭 雖虽",
];

const TABLE = new Map<string, string>();
for (const line of PAIRS) {
  for (const pair of line.split(" ")) {
    const [traditional, simplified] = [...pair];
    if (traditional && simplified && traditional !== simplified) TABLE.set(traditional, simplified);
  }
}

const TRADITIONAL = new RegExp(`[${[...TABLE.keys()].join("")}]`, "gu");

/** Folds the traditional characters of the table to their simplified forms; other text is kept. */
export function toSimplified(text: string): string {
  return text.replace(TRADITIONAL, (c) => TABLE.get(c) ?? c);
}
