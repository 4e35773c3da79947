/**
 * OpenMapTiles' POI tables: which tag values make a POI (imposm's
 * osm_poi_point/osm_poi_polygon mapping) and how a subclass maps to a class.
 */
import type { OsmTags } from '../../osm/types.js';

const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter((w) => w !== ''));

/** Mapping keys in imposm's order: the first key with a listed value gives the subclass. */
export const POI_MAPPING: Array<[string, Set<string>]> = [
  ['aerialway', words('station')],
  ['amenity', words(`arts_centre atm bank bar bbq bicycle_parking bicycle_rental biergarten bus_station cafe cinema clinic
    college community_centre courthouse dentist doctors drinking_water fast_food ferry_terminal fire_station food_court fuel
    grave_yard hospital ice_cream kindergarten library marketplace motorcycle_parking nightclub nursing_home parking pharmacy
    place_of_worship police post_box post_office prison pub public_building recycling restaurant school shelter swimming_pool
    taxi telephone theatre toilets townhall university veterinary waste_basket charging_station parcel_locker`)],
  ['barrier', words('bollard border_control cycle_barrier gate lift_gate sally_port stile toll_booth')],
  ['building', words('dormitory')],
  ['highway', words('bus_stop')],
  ['historic', words('monument castle ruins')],
  ['landuse', words('basin brownfield cemetery reservoir winter_sports')],
  ['leisure', words(`dog_park escape_game garden golf_course ice_rink hackerspace marina miniature_golf park pitch playground
    sports_centre stadium swimming_area swimming_pool water_park`)],
  ['office', words('diplomatic')],
  ['railway', words('halt station subway_entrance train_station_entrance tram_stop')],
  ['shop', words(`accessories alcohol antiques art bag bakery beauty bed beverages bicycle books boutique butcher camera car
    car_repair car_parts carpet charity chemist chocolate clothes coffee computer confectionery convenience copyshop cosmetics
    deli delicatessen department_store doityourself dry_cleaning electronics erotic fabric florist frozen_food furniture
    garden_centre general gift greengrocer hairdresser hardware hearing_aids hifi ice_cream interior_decoration jewelry kiosk
    lamps laundry locksmith mall massage mobile_phone motorcycle music musical_instrument newsagent optician outdoor perfume
    perfumery pet photo second_hand shoes sports stationery supermarket tailor tattoo ticket tobacco toys travel_agency video
    video_games watches weapons wholesale wine`)],
  ['sport', words(`american_football archery athletics australian_football badminton baseball basketball beachvolleyball
    billiards bmx boules bowls boxing canadian_football canoe chess climbing climbing_adventure cricket cricket_nets croquet
    curling cycling disc_golf diving dog_racing equestrian fatsal field_hockey free_flying gaelic_games golf gymnastics handball
    hockey horse_racing horseshoes ice_hockey ice_stock judo karting korfball long_jump model_aerodrome motocross motor multi
    netball orienteering paddle_tennis paintball paragliding pelota racquet rc_car rowing rugby rugby_league rugby_union
    running sailing scuba_diving shooting shooting_range skateboard skating skiing soccer surfing swimming table_soccer
    table_tennis team_handball tennis toboggan volleyball water_ski yoga`)],
  ['tourism', words(`alpine_hut aquarium artwork attraction bed_and_breakfast camp_site caravan_site chalet gallery guest_house
    hostel hotel information motel museum picnic_site theme_park viewpoint zoo`)],
  ['waterway', words('dock')],
];

export function poiMatch(tags: OsmTags): { key: string; value: string } | undefined {
  for (const [key, values] of POI_MAPPING) {
    const v = tags[key];
    if (v !== undefined && values.has(v)) return { key, value: v };
  }
  return undefined;
}

const CLASS_OF = new Map<string, string>();
function classify(cls: string, subclasses: string): void {
  for (const s of words(subclasses)) CLASS_OF.set(s, cls);
}
classify('shop', `accessories antiques beauty bed boutique camera carpet charity chemist coffee computer convenience copyshop
  cosmetics garden_centre doityourself erotic electronics fabric florist frozen_food furniture video_games video general gift
  hardware hearing_aids hifi ice_cream interior_decoration jewelry kiosk locksmith lamps mall massage motorcycle mobile_phone
  newsagent optician outdoor perfumery perfume pet photo second_hand shoes sports stationery tailor tattoo ticket tobacco toys
  travel_agency watches weapons wholesale`);
classify('town_hall', 'townhall public_building courthouse community_centre');
classify('golf', 'golf golf_course miniature_golf');
classify('fast_food', 'fast_food food_court');
classify('park', 'park bbq');
classify('bus', 'bus_stop bus_station');
classify('railway', 'halt tram_stop subway');
classify('entrance', 'subway_entrance train_station_entrance');
classify('campsite', 'camp_site caravan_site');
classify('laundry', 'laundry dry_cleaning');
classify('grocery', 'supermarket deli delicatessen department_store greengrocer marketplace');
classify('library', 'books library');
classify('college', 'university college');
classify('lodging', 'hotel motel bed_and_breakfast guest_house hostel chalet alpine_hut dormitory');
classify('ice_cream', 'chocolate confectionery');
classify('post', 'post_box post_office');
classify('cafe', 'cafe');
classify('school', 'school kindergarten');
classify('alcohol_shop', 'alcohol beverages wine');
classify('bar', 'bar nightclub');
classify('harbor', 'marina dock');
classify('car', 'car car_repair car_parts taxi');
classify('hospital', 'hospital nursing_home clinic');
classify('cemetery', 'grave_yard cemetery');
classify('attraction', 'attraction viewpoint');
classify('beer', 'biergarten pub');
classify('music', 'music musical_instrument');
classify('stadium', 'american_football stadium soccer');
classify('art_gallery', 'art artwork gallery arts_centre');
classify('clothing_store', 'bag clothes');
classify('swimming', 'swimming_area swimming');
classify('castle', 'castle ruins');
classify('atm', 'atm');

/** class for a raw subclass (before information/religion/sport refinement) and its mapping key. */
export function poiClass(subclass: string, key: string): string {
  if (subclass === 'station') return key === 'railway' ? 'railway' : key === 'aerialway' ? 'aerialway' : subclass;
  return CLASS_OF.get(subclass) ?? subclass;
}

const CLASS_RANKS: Record<string, number> = {
  hospital: 20, railway: 40, bus: 50, attraction: 70, harbor: 75, college: 80, school: 85, stadium: 90, zoo: 95,
  town_hall: 100, campsite: 110, cemetery: 115, park: 120, library: 130, police: 135, post: 140, golf: 150,
  shop: 400, grocery: 500, fast_food: 600, clothing_store: 700, bar: 800,
};

export function poiClassRank(cls: string): number {
  return CLASS_RANKS[cls] ?? 1000;
}
