import { Initial1795424678679 } from './1795424678679-Initial';
import { CustomerLinks1795451653441 } from './1795451653441-CustomerLinks';
import { RecommendationContext1795454942496 } from './1795454942496-RecommendationContext';
import { ConsentErasureRebuild1796012996793 } from './1796012996793-ConsentErasureRebuild';
import { UnitsCounters641796613303199 } from './1796613303199-UnitsCounters64';
import { IdentityValuesExact1796616000001 } from './1796616000001-IdentityValuesExact';
import { EventRecovery1796616869374 } from './1796616869374-EventRecovery';
import { ServiceLeases1796617500000 } from './1796617500000-ServiceLeases';
import { RankingTrend1796669445300 } from './1796669445300-RankingTrend';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const RECOMMENDATIONS_MIGRATIONS = [Initial1795424678679, CustomerLinks1795451653441, RecommendationContext1795454942496, ConsentErasureRebuild1796012996793, UnitsCounters641796613303199, IdentityValuesExact1796616000001, EventRecovery1796616869374, ServiceLeases1796617500000, RankingTrend1796669445300];
