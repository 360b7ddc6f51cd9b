/** Word lists and a seeded random source for the generator: the same seed builds the same city. */

export interface Rng {
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast and good enough to spread synthetic rows. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

/** Shanghai's districts with their real code suffixes, then a few invented ones to reach 20. */
export const districtNames: readonly (readonly [name: string, nameEn: string, codeSuffix: string])[] = [
  ['黄浦区', 'Huangpu District', '01'],
  ['徐汇区', 'Xuhui District', '04'],
  ['长宁区', 'Changning District', '05'],
  ['静安区', "Jing'an District", '06'],
  ['普陀区', 'Putuo District', '07'],
  ['虹口区', 'Hongkou District', '09'],
  ['杨浦区', 'Yangpu District', '10'],
  ['闵行区', 'Minhang District', '12'],
  ['宝山区', 'Baoshan District', '13'],
  ['嘉定区', 'Jiading District', '14'],
  ['浦东新区', 'Pudong New Area', '15'],
  ['金山区', 'Jinshan District', '16'],
  ['松江区', 'Songjiang District', '17'],
  ['青浦区', 'Qingpu District', '18'],
  ['奉贤区', 'Fengxian District', '20'],
  ['崇明区', 'Chongming District', '51'],
  ['临港区', 'Lingang District', '21'],
  ['滨江区', 'Binjiang District', '22'],
  ['东湖区', 'Donghu District', '23'],
  ['西山区', 'Xishan District', '24'],
];

/** Stems of street and town names with their pinyin (`name_en`), as `汉字:Pinyin` pairs. */
const placeStems = `
南京:Nanjing 外滩:Waitan 豫园:Yuyuan 老西门:Laoximen 五里桥:Wuliqiao 打浦桥:Dapuqiao 淮海:Huaihai 瑞金:Ruijin
天平:Tianping 湖南:Hunan 枫林:Fenglin 斜土:Xietu 康健:Kangjian 田林:Tianlin 凌云:Lingyun 华泾:Huajing 江苏:Jiangsu
新华:Xinhua 仙霞:Xianxia 虹桥:Hongqiao 程家桥:Chengjiaqiao 曹家渡:Caojiadu 石门:Shimen 天目:Tianmu 彭浦:Pengpu
芷江:Zhijiang 临汾:Linfen 大宁:Daning 共和:Gonghe 宜川:Yichuan 甘泉:Ganquan 石泉:Shiquan 曹杨:Caoyang 长风:Changfeng
长寿:Changshou 真如:Zhenru 万里:Wanli 欧阳:Ouyang 曲阳:Quyang 广中:Guangzhong 嘉兴:Jiaxing 凉城:Liangcheng
江湾:Jiangwan 四平:Siping 控江:Kongjiang 延吉:Yanji 殷行:Yinhang 五角场:Wujiaochang 新江湾:Xinjiangwan 长白:Changbai
古美:Gumei 江川:Jiangchuan 莘庄:Xinzhuang 七宝:Qibao 梅陇:Meilong 友谊:Youyi 吴淞:Wusong 张庙:Zhangmiao 罗店:Luodian
月浦:Yuepu
`
  .trim()
  .split(/\s+/)
  .map((pair) => pair.split(':') as [string, string]);

/** Ways a stem becomes a street (街道) or a town (镇); towns take codes from 100 up, as in GB/T 10114. */
const placePatterns: readonly { zh: (s: string) => string; en: (s: string) => string; town: boolean }[] = [
  { zh: (s) => `${s}街道`, en: (s) => `${s} Subdistrict`, town: false },
  { zh: (s) => `${s}路街道`, en: (s) => `${s} Road Subdistrict`, town: false },
  { zh: (s) => `${s}新村街道`, en: (s) => `${s} New Village Subdistrict`, town: false },
  { zh: (s) => `${s}东路街道`, en: (s) => `East ${s} Road Subdistrict`, town: false },
  { zh: (s) => `${s}镇`, en: (s) => `${s} Town`, town: true },
];

export interface PlaceName {
  name: string;
  nameEn: string;
  stem: string;
  town: boolean;
}

/** `count` distinct street and town names in a seeded order. */
export function placeNames(rng: Rng, count: number): PlaceName[] {
  const all: PlaceName[] = [];
  for (const [stem, pinyin] of placeStems) {
    for (const p of placePatterns) all.push({ name: p.zh(stem), nameEn: p.en(pinyin), stem, town: p.town });
  }
  if (count > all.length) throw new Error(`At most ${all.length} subdistricts have names; asked for ${count}`);
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

const surnames = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤',
];
const givenChars = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉萍文辉力斌宇浩凯鹏晨欣怡婷雪琳梅丹倩佳颖晶慧嘉俊峰海波云飞燕亮',
];

/** A plausible Chinese personal name: a common surname and one or two given-name characters. */
export function personName(rng: Rng): string {
  const given = rng.next() < 0.7 ? rng.pick(givenChars) + rng.pick(givenChars) : rng.pick(givenChars);
  return rng.pick(surnames) + given;
}

/** Departments a district or subdistrict commonly has, with their department kinds. */
export const departmentTemplates: Record<'district' | 'subdistrict', readonly { name: string; kinds: string[] }[]> = {
  district: [
    { name: '民政局', kinds: ['civil_affairs'] },
    { name: '卫生健康委员会', kinds: ['health', 'elderly_affairs'] },
    { name: '残疾人联合会', kinds: ['disability'] },
    { name: '司法局', kinds: ['legal_aid'] },
  ],
  subdistrict: [
    { name: '民政科', kinds: ['civil_affairs'] },
    { name: '老龄办', kinds: ['elderly_affairs'] },
    { name: '社区卫生服务中心', kinds: ['health'] },
    { name: '平安办', kinds: ['safety'] },
  ],
};
