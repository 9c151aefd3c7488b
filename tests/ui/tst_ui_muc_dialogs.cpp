// SPDX-License-Identifier: GPL-3.0-or-later
// The group chat dialogs driven offscreen against the real Prosody: joining (a new room, a taken nickname),
// browsing a conference service, room settings through the data forms renderer (including a new room's
// defaults and destruction), affiliation lists, invitations sent and the prompt for received ones.
#include "Contacts.h"
#include "Rooms.h"
#include "StoredAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "muc/MucService.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/forms/DataFormWidget.h"
#include "widgets/muc/AffiliationListDialog.h"
#include "widgets/muc/InvitationPrompt.h"
#include "widgets/muc/InviteDialog.h"
#include "widgets/muc/JoinRoomDialog.h"
#include "widgets/muc/RoomSettingsDialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;
using Natter::Ui::AffiliationListDialog;
using Natter::Ui::InvitationPrompt;
using Natter::Ui::InviteDialog;
using Natter::Ui::JoinRoomDialog;
using Natter::Ui::RoomSettingsDialog;

namespace {

constexpr int JoinTimeoutMs = 20000;

template <typename T> T *child(QWidget &parent, const QString &name)
{
    return parent.findChild<T *>(name);
}

// Clicks the standard button of the message box named objectName as soon as it shows (it may be opened
// with exec() or open(): the timer keeps looking from the event loop either way).
void answerMessageBox(const QString &objectName, QMessageBox::StandardButton answer, QString *text = nullptr)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, objectName, answer, text] {
        for (QWidget *window : QApplication::topLevelWidgets()) {
            auto *box = qobject_cast<QMessageBox *>(window);
            if (!box || box->objectName() != objectName || !box->isVisible())
                continue;
            if (text)
                *text = box->text() + u'\n' + box->informativeText();
            if (QAbstractButton *button = box->button(answer))
                button->click();
            timer->deleteLater();
            return;
        }
    });
    timer->start();
    QTimer::singleShot(15000, timer, &QObject::deleteLater);
}

QStringList jidsOf(const std::optional<Result<QList<AffiliationItem>>> &items)
{
    QStringList jids;
    if (!items || !isOk(*items))
        return {QStringLiteral("<request failed>")};
    for (const AffiliationItem &item : std::get<QList<AffiliationItem>>(*items))
        jids.append(item.jid);
    return jids;
}

} // namespace

class tst_UiMucDialogs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void joinNeedsAValidRoomAddressAndANickname();
    void joiningAnUnknownRoomCreatesIt();
    void aTakenNicknameIsShownAndAnotherOneJoins();
    void browsingListsAPublicRoomWithItsName();
    void settingsChangeTheRoomName();
    void cancellingTheSettingsOfANewRoomUnlocksIt();
    void destroyingFromTheSettingsRemovesTheRoom();
    void settingsStartInTheFirstFieldOfTheForm();
    void settingsSayWhichRoomOnce();
    void settingsFitTheScreen();
    void addingAMemberChangesTheRoomsMemberList();
    void invitationPromptReportsJoin();
    void invitationPromptReportsDecline();
    void inviteDialogSendsAnInvitation();

private:
    std::unique_ptr<StoredAccount> newUser(const QString &prefix);
    QString newRoom() const;
    // user creates room as nick through core; the room stays locked until configured.
    bool createLockedRoom(StoredAccount &user, const QString &room, const QString &nick);
    // Created and opened with the default configuration.
    bool createOpenRoom(StoredAccount &user, const QString &room, const QString &nick);
    std::unique_ptr<JoinRoomDialog> joinDialog(StoredAccount &user);

    TestServer m_server;
};

void tst_UiMucDialogs::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(!m_server.mucService.isEmpty());
}

std::unique_ptr<StoredAccount> tst_UiMucDialogs::newUser(const QString &prefix)
{
    return newOnlineUser(m_server, prefix);
}

QString tst_UiMucDialogs::newRoom() const
{
    return newRoomJid(m_server, QStringLiteral("uiroom"));
}

bool tst_UiMucDialogs::createLockedRoom(StoredAccount &user, const QString &room, const QString &nick)
{
    const auto joined = waitTask(user.account()->rooms().join(room, nick), JoinTimeoutMs);
    return joined && isOk(*joined) && std::get<MucService::JoinResult>(*joined).created;
}

bool tst_UiMucDialogs::createOpenRoom(StoredAccount &user, const QString &room, const QString &nick)
{
    return createLockedRoom(user, room, nick) &&
           succeeded(user.account()->rooms().acceptDefaultConfiguration(room));
}

std::unique_ptr<JoinRoomDialog> tst_UiMucDialogs::joinDialog(StoredAccount &user)
{
    Account *account = user.account();
    auto dialog = std::make_unique<JoinRoomDialog>([account](const QString &jid) -> MucService * {
        return jid == account->jid() ? &account->rooms() : nullptr;
    });
    dialog->setAccounts({account->jid()}, account->jid());
    dialog->setConferenceService(m_server.mucService);
    dialog->show();
    return dialog;
}

void tst_UiMucDialogs::joinNeedsAValidRoomAddressAndANickname()
{
    JoinRoomDialog dialog([](const QString &) -> MucService * { return nullptr; });
    dialog.setAccounts({QStringLiteral("me@example.org")}, QStringLiteral("me@example.org"));
    dialog.show();
    auto *address = child<QLineEdit>(dialog, QStringLiteral("roomAddress"));
    auto *nickname = child<QLineEdit>(dialog, QStringLiteral("nickname"));
    auto *join = child<QPushButton>(dialog, QStringLiteral("joinButton"));
    QVERIFY(address && nickname && join && child<QComboBox>(dialog, QStringLiteral("account")));
    QVERIFY(child<QLineEdit>(dialog, QStringLiteral("roomPassword")));

    QVERIFY(!join->isEnabled());
    dialog.setNick(QStringLiteral("Me"));
    address->setText(QStringLiteral("not an address"));
    QVERIFY(!join->isEnabled());
    address->setText(QStringLiteral("room@conference.example.org/Nick"));
    QVERIFY(!join->isEnabled());
    address->setText(QStringLiteral("conference.example.org"));
    QVERIFY(!join->isEnabled());
    address->setText(QStringLiteral("Room@Conference.Example.org"));
    QVERIFY(join->isEnabled());
    QCOMPARE(dialog.roomJid(), QStringLiteral("room@conference.example.org"));
    nickname->clear();
    QVERIFY(!join->isEnabled());
    // A pasted xmpp: link is an address too.
    dialog.setNick(QStringLiteral("Me"));
    address->setText(QStringLiteral("xmpp:room@conference.example.org?join"));
    QVERIFY(join->isEnabled());
    QCOMPARE(dialog.roomJid(), QStringLiteral("room@conference.example.org"));
}

void tst_UiMucDialogs::joiningAnUnknownRoomCreatesIt()
{
    auto alice = newUser(QStringLiteral("alice"));
    QVERIFY(alice);
    const QString room = newRoom();
    auto dialog = joinDialog(*alice);
    QSignalSpy joined(dialog.get(), &JoinRoomDialog::joined);
    QTest::keyClicks(child<QLineEdit>(*dialog, QStringLiteral("roomAddress")), room);
    dialog->setNick(QStringLiteral("Alice"));
    auto *join = child<QPushButton>(*dialog, QStringLiteral("joinButton"));
    QVERIFY(join->isEnabled());
    QTest::mouseClick(join, Qt::LeftButton);
    QVERIFY(dialog->isJoining());
    QVERIFY(!join->isEnabled()); // busy: no second join

    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, JoinTimeoutMs);
    QCOMPARE(joined.first().at(0).toString(), alice->jid());
    QCOMPARE(joined.first().at(1).toString(), room);
    QCOMPARE(joined.first().at(2).toBool(), true);
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
    QVERIFY(!dialog->isVisible());
    QCOMPARE(dialog->roomJid(), room);
    QCOMPARE(dialog->nick(), QStringLiteral("Alice"));
    QCOMPARE(alice->account()->rooms().state(room), MucService::RoomState::Joined);
    QCOMPARE(alice->account()->rooms().nick(room), QStringLiteral("Alice"));
}

void tst_UiMucDialogs::aTakenNicknameIsShownAndAnotherOneJoins()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createOpenRoom(*alice, room, QStringLiteral("Sam")));

    auto dialog = joinDialog(*bob);
    QSignalSpy joined(dialog.get(), &JoinRoomDialog::joined);
    dialog->setRoomJid(room);
    dialog->setNick(QStringLiteral("Sam"));
    auto *join = child<QPushButton>(*dialog, QStringLiteral("joinButton"));
    auto *error = child<QLabel>(*dialog, QStringLiteral("joinError"));
    QVERIFY(error && error->isHidden());
    QTest::mouseClick(join, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isJoining(), JoinTimeoutMs);
    QCOMPARE(error->text(), Ui::ErrorPresenter::describe(Error(Error::Code::NicknameInUse)));
    QVERIFY(error->isVisible());
    QVERIFY(dialog->isVisible());
    QVERIFY(joined.isEmpty());
    QCOMPARE(bob->account()->rooms().state(room), MucService::RoomState::NotJoined);

    // The user changes the nickname and tries again.
    auto *nickname = child<QLineEdit>(*dialog, QStringLiteral("nickname"));
    QVERIFY(nickname->isEnabled());
    nickname->clear();
    QTest::keyClicks(nickname, QStringLiteral("Sam2"));
    QVERIFY(join->isEnabled());
    QTest::mouseClick(join, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, JoinTimeoutMs);
    QCOMPARE(joined.first().at(2).toBool(), false);
    QVERIFY(error->isHidden());
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
    QCOMPARE(bob->account()->rooms().nick(room), QStringLiteral("Sam2"));
    QTRY_VERIFY_WITH_TIMEOUT(alice->account()->rooms().occupant(room, QStringLiteral("Sam2")).has_value(),
                             10000);
}

void tst_UiMucDialogs::browsingListsAPublicRoomWithItsName()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    const QString name = QStringLiteral("Town square ") + room.section(u'@', 0, 0);
    QVERIFY(createLockedRoom(*alice, room, QStringLiteral("Alice")));
    MucService &rooms = alice->account()->rooms();
    auto form = waitTask(rooms.configuration(room));
    QVERIFY(form && isOk(*form));
    QXmppDataForm config = std::get<QXmppDataForm>(*form);
    QVERIFY(setFormField(config, QStringLiteral("muc#roomconfig_roomname"), name));
    QVERIFY(setFormField(config, QStringLiteral("muc#roomconfig_publicroom"), true));
    QVERIFY(setFormField(config, QStringLiteral("muc#roomconfig_persistentroom"), true));
    QVERIFY(succeeded(rooms.configure(room, config)));

    auto dialog = joinDialog(*bob);
    auto *list = child<QListWidget>(*dialog, QStringLiteral("roomList"));
    QVERIFY(list && list->count() == 0);
    QCOMPARE(child<QLineEdit>(*dialog, QStringLiteral("conferenceService"))->text(), m_server.mucService);
    QTest::mouseClick(child<QPushButton>(*dialog, QStringLiteral("browseRooms")), Qt::LeftButton);
    QListWidgetItem *listed = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int i = 0; i < list->count(); ++i) {
                if (list->item(i)->data(Qt::UserRole).toString() == room)
                    listed = list->item(i);
            }
            return listed != nullptr;
        }(),
        10000);
    QVERIFY2(listed->text().contains(name), qPrintable(listed->text()));
    QVERIFY(listed->text().contains(room));

    // Choosing it fills the address.
    QVERIFY(child<QLineEdit>(*dialog, QStringLiteral("roomAddress"))->text().isEmpty());
    list->setCurrentItem(listed);
    QCOMPARE(child<QLineEdit>(*dialog, QStringLiteral("roomAddress"))->text(), room);
    QCOMPARE(dialog->roomJid(), room);

    // A persistent room outlives the test otherwise.
    QVERIFY(succeeded(rooms.destroy(room)));
}

void tst_UiMucDialogs::settingsChangeTheRoomName()
{
    auto alice = newUser(QStringLiteral("alice"));
    QVERIFY(alice);
    const QString room = newRoom();
    QVERIFY(createLockedRoom(*alice, room, QStringLiteral("Alice")));
    MucService &rooms = alice->account()->rooms();

    RoomSettingsDialog dialog(&rooms, room, true);
    QSignalSpy saved(&dialog, &RoomSettingsDialog::configurationSaved);
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 10000);
    QVERIFY(dialog.errorText().isEmpty());
    auto *nameField = dialog.findChild<QLineEdit *>(QStringLiteral("field:muc#roomconfig_roomname"));
    QVERIFY(nameField);
    const QString name = QStringLiteral("Renamed ") + room.section(u'@', 0, 0);
    nameField->clear();
    QTest::keyClicks(nameField, name);
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("saveConfiguration")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 10000);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    const auto info = waitTask(rooms.roomInfo(room));
    QVERIFY(info && isOk(*info));
    QCOMPARE(std::get<MucService::RoomInfo>(*info).name, name);
}

void tst_UiMucDialogs::cancellingTheSettingsOfANewRoomUnlocksIt()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createLockedRoom(*alice, room, QStringLiteral("Alice")));
    // Locked: nobody else gets in yet.
    const auto early = waitTask(bob->account()->rooms().join(room, QStringLiteral("Bob")), JoinTimeoutMs);
    QVERIFY(early && !isOk(*early));

    RoomSettingsDialog dialog(&alice->account()->rooms(), room, true);
    QSignalSpy finished(&dialog, &QDialog::finished);
    dialog.show();
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("cancelConfiguration")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(dialog.errorText().isEmpty());

    const auto joined = waitTask(bob->account()->rooms().join(room, QStringLiteral("Bob")), JoinTimeoutMs);
    QVERIFY(joined);
    QVERIFY2(isOk(*joined), qPrintable(errorOf(*joined).codeName()));
    QCOMPARE(std::get<MucService::JoinResult>(*joined).created, false);
}

void tst_UiMucDialogs::destroyingFromTheSettingsRemovesTheRoom()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createOpenRoom(*alice, room, QStringLiteral("Alice")));
    const auto joined = waitTask(bob->account()->rooms().join(room, QStringLiteral("Bob")), JoinTimeoutMs);
    QVERIFY(joined && isOk(*joined));
    QSignalSpy removed(&bob->account()->rooms(), &MucService::removed);

    RoomSettingsDialog dialog(&alice->account()->rooms(), room, false);
    QSignalSpy destroyed(&dialog, &RoomSettingsDialog::roomDestroyed);
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 10000);
    child<QLineEdit>(dialog, QStringLiteral("destroyReason"))->setText(QStringLiteral("moving house"));
    QString question;
    answerMessageBox(QStringLiteral("confirmDestroy"), QMessageBox::Yes, &question);
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("destroyRoom")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(destroyed.size(), 1, 10000);
    QVERIFY2(question.contains(room), qPrintable(question));
    QVERIFY(question.contains(QStringLiteral("moving house")));
    QCOMPARE(destroyed.first().at(0).toString(), room);
    QVERIFY(!dialog.isVisible());

    QTRY_VERIFY_WITH_TIMEOUT(!removed.isEmpty(), 10000);
    QCOMPARE(removed.first().at(1).value<MucService::Removal>(), MucService::Removal::Destroyed);
    const auto gone = waitTask(bob->account()->rooms().roomInfo(room));
    QVERIFY(gone && isOk(*gone));
    QVERIFY(!std::get<MucService::RoomInfo>(*gone).exists);
}

void tst_UiMucDialogs::settingsStartInTheFirstFieldOfTheForm()
{
    auto alice = newUser(QStringLiteral("alice"));
    QVERIFY(alice);
    const QString room = newRoom();
    QVERIFY(createOpenRoom(*alice, room, QStringLiteral("Alice")));

    RoomSettingsDialog dialog(&alice->account()->rooms(), room, false);
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 10000);
    // Prosody's first field after its hidden FORM_TYPE and the "Room information" heading: the title.
    auto *first = dialog.findChild<QLineEdit *>(QStringLiteral("field:muc#roomconfig_roomname"));
    QVERIFY(first);
    QTRY_COMPARE(dialog.focusWidget(), first);
    QVERIFY(dialog.focusWidget() != child<QLineEdit>(dialog, QStringLiteral("destroyReason")));
}

void tst_UiMucDialogs::settingsSayWhichRoomOnce()
{
    auto alice = newUser(QStringLiteral("alice"));
    QVERIFY(alice);
    const QString room = newRoom();
    QVERIFY(createLockedRoom(*alice, room, QStringLiteral("Alice")));
    MucService &rooms = alice->account()->rooms();

    // A new room: the intro explains why it is locked; the form's title would repeat the room's name.
    {
        RoomSettingsDialog dialog(&rooms, room, true);
        dialog.show();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 10000);
        auto *title = dialog.findChild<QLabel *>(QStringLiteral("formTitle"));
        QVERIFY(title && !title->text().isEmpty());
        QVERIFY(title->isHidden());
        QVERIFY(child<QLabel>(dialog, QStringLiteral("settingsIntro"))->isVisible());
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("formInstructions"))->isVisible());
        dialog.hide();
    }
    QVERIFY(succeeded(rooms.acceptDefaultConfiguration(room)));

    // An existing room: the form's title says it, so the intro does not.
    RoomSettingsDialog dialog(&rooms, room, false);
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 10000);
    auto *title = dialog.findChild<QLabel *>(QStringLiteral("formTitle"));
    QVERIFY(title->isVisible());
    QVERIFY2(title->text().contains(room), qPrintable(title->text()));
    QVERIFY(child<QLabel>(dialog, QStringLiteral("settingsIntro"))->isHidden());
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("formInstructions"))->isVisible());
}

void tst_UiMucDialogs::settingsFitTheScreen()
{
    RoomSettingsDialog dialog(nullptr, QStringLiteral("room@conference.example.org"), false);
    const QRect available = dialog.screen()->availableGeometry();
    QVERIFY2(dialog.height() < available.height(),
             qPrintable(QStringLiteral("%1 of %2").arg(dialog.height()).arg(available.height())));
    QVERIFY(dialog.width() < available.width());
    QVERIFY(dialog.width() >= qMin(620, available.width() - 48));
}

void tst_UiMucDialogs::addingAMemberChangesTheRoomsMemberList()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createOpenRoom(*alice, room, QStringLiteral("Alice")));
    MucService &rooms = alice->account()->rooms();

    AffiliationListDialog dialog(&rooms, room);
    QSignalSpy changed(&dialog, &AffiliationListDialog::affiliationsChanged);
    dialog.show();
    QVERIFY(dialog.isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isLoading(), 10000);
    QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
    QVERIFY(dialog.jids(MucAffiliation::Owner).contains(alice->jid()));
    QVERIFY(!dialog.jids(MucAffiliation::Member).contains(bob->jid()));
    auto *apply = child<QPushButton>(dialog, QStringLiteral("applyAffiliations"));
    QVERIFY(!apply->isEnabled()); // nothing changed yet

    // An address that is none is refused.
    child<QTabWidget>(dialog, QStringLiteral("affiliationTabs"))->setCurrentIndex(0); // Members
    auto *jidEdit = child<QLineEdit>(dialog, QStringLiteral("affiliationJid"));
    auto *add = child<QPushButton>(dialog, QStringLiteral("addAffiliation"));
    QTest::keyClicks(jidEdit, QStringLiteral("not an address"));
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(!dialog.errorText().isEmpty());
    QVERIFY(dialog.changes().isEmpty());

    jidEdit->clear();
    QTest::keyClicks(jidEdit, bob->jid());
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("affiliationReason")),
                     QStringLiteral("regular"));
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(dialog.jids(MucAffiliation::Member).contains(bob->jid()));
    QCOMPARE(child<QListWidget>(dialog, QStringLiteral("affiliationList:member"))->count(), 1);
    QCOMPARE(dialog.changes().size(), 1);
    QCOMPARE(dialog.changes().first().affiliation, MucAffiliation::Member);
    QVERIFY(apply->isEnabled());

    QString question;
    answerMessageBox(QStringLiteral("confirmAffiliations"), QMessageBox::Yes, &question);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 10000);
    QVERIFY2(question.contains(bob->jid()), qPrintable(question));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isLoading() && !dialog.isApplying(), 10000);
    QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
    QVERIFY(dialog.changes().isEmpty()); // refreshed from the room

    const auto members = waitTask(rooms.affiliations(room, MucAffiliation::Member));
    QVERIFY2(jidsOf(members).contains(bob->jid()), qPrintable(jidsOf(members).join(u',')));
    QVERIFY(dialog.jids(MucAffiliation::Member).contains(bob->jid()));
}

void tst_UiMucDialogs::invitationPromptReportsJoin()
{
    const RoomInvitation invitation{QStringLiteral("me@example.org"),
                                    QStringLiteral("room@conference.example.org"),
                                    QStringLiteral("alice@example.org"),
                                    QStringLiteral("Come and see"),
                                    QStringLiteral("secret"),
                                    true};
    InvitationPrompt prompt(invitation);
    QSignalSpy accepted(&prompt, &InvitationPrompt::accepted);
    QSignalSpy declined(&prompt, &InvitationPrompt::declined);
    prompt.show();
    QCOMPARE(child<QLabel>(prompt, QStringLiteral("invitationText"))->text(),
             QStringLiteral("alice@example.org invites you to room@conference.example.org"));
    QVERIFY(child<QLabel>(prompt, QStringLiteral("invitationReason"))->text().contains(u"Come and see"));

    QTest::mouseClick(child<QPushButton>(prompt, QStringLiteral("acceptInvitation")), Qt::LeftButton);
    QCOMPARE(accepted.size(), 1);
    QVERIFY(declined.isEmpty());
    const auto answered = accepted.first().at(0).value<RoomInvitation>();
    QCOMPARE(answered.room, invitation.room);
    QCOMPARE(answered.inviter, invitation.inviter);
    QCOMPARE(answered.password, invitation.password);
    QCOMPARE(answered.account, invitation.account);
    QVERIFY(!prompt.isVisible());
}

void tst_UiMucDialogs::invitationPromptReportsDecline()
{
    const RoomInvitation invitation{QStringLiteral("me@example.org"),
                                    QStringLiteral("room@conference.example.org"),
                                    QStringLiteral("alice@example.org"),
                                    QString(),
                                    QString(),
                                    false};
    InvitationPrompt prompt(invitation);
    QSignalSpy accepted(&prompt, &InvitationPrompt::accepted);
    QSignalSpy declined(&prompt, &InvitationPrompt::declined);
    prompt.show();
    QVERIFY(child<QLabel>(prompt, QStringLiteral("invitationReason"))->isHidden());

    QTest::mouseClick(child<QPushButton>(prompt, QStringLiteral("declineInvitation")), Qt::LeftButton);
    QCOMPARE(declined.size(), 1);
    QVERIFY(accepted.isEmpty());
    QCOMPARE(declined.first().at(0).value<RoomInvitation>().room, invitation.room);
    QCOMPARE(declined.first().at(0).value<RoomInvitation>().direct, false);
}

void tst_UiMucDialogs::inviteDialogSendsAnInvitation()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createOpenRoom(*alice, room, QStringLiteral("Alice")));
    QList<RoomInvitation> invited;
    connect(&bob->account()->rooms(), &MucService::invitationReceived, this,
            [&invited](const RoomInvitation &invitation) { invited.append(invitation); });

    InviteDialog dialog(&alice->account()->rooms(), room);
    dialog.show();
    auto *jidEdit = child<QLineEdit>(dialog, QStringLiteral("inviteeJid"));
    auto *invite = child<QPushButton>(dialog, QStringLiteral("inviteButton"));
    QTest::keyClicks(jidEdit, QStringLiteral("bob@"));
    QTest::mouseClick(invite, Qt::LeftButton);
    QVERIFY(!dialog.errorText().isEmpty());
    QVERIFY(dialog.isVisible());

    jidEdit->clear();
    QTest::keyClicks(jidEdit, bob->jid());
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("inviteReason")), QStringLiteral("Planning"));
    QTest::mouseClick(invite, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.inviteeJid(), bob->jid());
    QTRY_VERIFY_WITH_TIMEOUT(!invited.isEmpty(), 10000);
    QCOMPARE(invited.first().room, room);
    QCOMPARE(invited.first().inviter, alice->jid());
    QCOMPARE(invited.first().reason, QStringLiteral("Planning"));
}

QTEST_MAIN(tst_UiMucDialogs)
#include "tst_ui_muc_dialogs.moc"
