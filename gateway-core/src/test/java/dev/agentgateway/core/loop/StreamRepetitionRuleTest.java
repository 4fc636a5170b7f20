package dev.agentgateway.core.loop;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamRepetitionRuleTest {

    private final StreamRepetitionRule rule = new StreamRepetitionRule(4, 50, 3);

    @Test
    void textEndingInABlockRepeatedTheRuleNumberOfTimesIsDegenerate() {
        assertThat(rule.repeatedBlockAtEnd("Here you go. Sorry! Sorry! Sorry! ")).isEqualTo(7);
    }

    @Test
    void aRepetitionIsFoundWhateverCharacterItsBlockStartsAt() {
        // the stream may break anywhere inside the block: "rry! So" repeating is the same loop
        assertThat(rule.repeatedBlockAtEnd("Sorry! Sorry! Sorry! So")).isEqualTo(7);
    }

    @Test
    void oneCopyFewerThanTheRuleIsNotDegenerate() {
        assertThat(rule.repeatedBlockAtEnd("Here you go. Sorry! Sorry! ")).isZero();
    }

    @Test
    void ordinaryProseIsNotDegenerate() {
        assertThat(StreamRepetitionRule.defaults().repeatedBlockAtEnd(
                "The quarterly figures show growth in every region, with the strongest in the north; "
                        + "the board asks for a forecast that takes the new tariffs into account.")).isZero();
    }

    @Test
    void blocksShorterThanTheMinimumAreIgnored() {
        assertThat(rule.repeatedBlockAtEnd("ab ab ab ab ")).isZero(); // a block of 3 characters
    }

    @Test
    void aRunOfOneCharacterCountsOnceItSpansMinimumTimesRepeats() {
        assertThat(rule.repeatedBlockAtEnd("x" + "-".repeat(11))).isZero();
        assertThat(rule.repeatedBlockAtEnd("x" + "-".repeat(12))).isEqualTo(4);
    }

    @Test
    void blocksLongerThanTheMaximumAreNotLookedFor() {
        String block = "a paragraph of sixty characters that the model repeats .....";
        assertThat(block).hasSize(60);
        assertThat(rule.repeatedBlockAtEnd(block.repeat(3))).isZero();
        assertThat(new StreamRepetitionRule(4, 60, 3).repeatedBlockAtEnd(block.repeat(3))).isEqualTo(60);
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new StreamRepetitionRule(0, 10, 3)).hasMessageContaining("minBlockLength");
        assertThatThrownBy(() -> new StreamRepetitionRule(8, 4, 3)).hasMessageContaining("maxBlockLength");
        assertThatThrownBy(() -> new StreamRepetitionRule(8, 40, 1)).hasMessageContaining("repeats");
    }
}
